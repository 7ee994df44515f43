package io.mamori.hub.firmware;

import java.util.Arrays;

/**
 * One uploaded firmware image. Content-addressed: its id is the lowercase hex SHA-256 of its bytes,
 * so the same image is stored once and a name can never point at other bytes.
 *
 * @param signature DER ECDSA (P-256, SHA-256) signature of the bytes by the hub's code-signing key
 * @param createdAt epoch seconds
 */
public record Firmware(
    String firmwareId,
    String version,
    long sizeBytes,
    String sha256,
    byte[] signature,
    long createdAt) {

  public Firmware {
    signature = signature.clone();
  }

  @Override
  public byte[] signature() {
    return signature.clone();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Firmware f
        && f.firmwareId.equals(firmwareId)
        && f.version.equals(version)
        && f.sizeBytes == sizeBytes
        && f.sha256.equals(sha256)
        && Arrays.equals(f.signature, signature)
        && f.createdAt == createdAt;
  }

  @Override
  public int hashCode() {
    return firmwareId.hashCode();
  }
}
