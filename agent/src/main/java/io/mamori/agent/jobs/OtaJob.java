package io.mamori.agent.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import io.mamori.agent.AgentException;
import io.mamori.agent.connection.DeviceConnection;
import io.mamori.agent.connection.HubHttps;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;

/**
 * {@code "operation": "ota"}: downloads the image over HTTPS from the per-device URL, checks its
 * size and SHA-256 against the document and its ECDSA P-256/SHA-256 signature against the pinned
 * code-signing key, and only then installs it into the inactive slot. Any mismatch is FAILED with
 * the reason, and nothing is written.
 */
public final class OtaJob implements JobHandler {
  /** Images above this are refused before downloading (the hub's upload cap). */
  static final long MAX_IMAGE_BYTES = 32L * 1024 * 1024;

  private final HubHttps https;
  private final PublicKey signingKey;
  private final FirmwareSlots slots;

  /**
   * @param signingKey the pinned code-signing public key (EC P-256), from the hub's signing
   *     certificate provisioned with the device, never from the job
   */
  public OtaJob(HubHttps https, PublicKey signingKey, FirmwareSlots slots) {
    if (!(signingKey instanceof ECPublicKey)) {
      throw new AgentException("the pinned code-signing key must be an EC key");
    }
    this.https = https;
    this.signingKey = signingKey;
    this.slots = slots;
  }

  @Override
  public String operation() {
    return "ota";
  }

  @Override
  public JobOutcome run(Execution execution, DeviceConnection connection) {
    JsonNode firmware = execution.document().path("firmware");
    String url = firmware.path("url").asText("");
    String version = firmware.path("version").asText("");
    String sha256 = firmware.path("sha256").asText("");
    long size = firmware.path("size").asLong(-1);
    byte[] signature;
    try {
      signature = Base64.getDecoder().decode(firmware.path("signature").asText(""));
    } catch (IllegalArgumentException e) {
      return new JobOutcome.Failed("signature is not base64");
    }
    if (url.isEmpty() || version.isEmpty() || sha256.isEmpty() || signature.length == 0) {
      return new JobOutcome.Failed("the OTA document lacks url, version, sha256 or signature");
    }
    if (size < 1 || size > MAX_IMAGE_BYTES) {
      return new JobOutcome.Failed("firmware size " + size + " is out of range");
    }
    if (!"SHA256withECDSA".equals(firmware.path("signatureAlgorithm").asText("SHA256withECDSA"))) {
      return new JobOutcome.Failed("unsupported signature algorithm");
    }
    byte[] image;
    try {
      image = https.get(url, size);
    } catch (AgentException e) {
      return new JobOutcome.Failed(e.getMessage());
    }
    if (image.length != size) {
      return new JobOutcome.Failed(
          "size mismatch: got " + image.length + " bytes, expected " + size);
    }
    if (!HexFormat.of().formatHex(sha256(image)).equalsIgnoreCase(sha256)) {
      return new JobOutcome.Failed("sha256 mismatch: the image is not the one the job names");
    }
    if (!verifies(image, signature)) {
      return new JobOutcome.Failed("signature invalid: not signed by the pinned code-signing key");
    }
    String slot = slots.install(image, version);
    return new JobOutcome.Succeeded(Map.of("version", version, "slot", slot));
  }

  private boolean verifies(byte[] image, byte[] signature) {
    try {
      Signature verifier = Signature.getInstance("SHA256withECDSA");
      verifier.initVerify(signingKey);
      verifier.update(image);
      return verifier.verify(signature);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return false; // malformed signature: not a valid one
    }
  }

  private static byte[] sha256(byte[] content) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(content);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is required by every JDK", e);
    }
  }
}
