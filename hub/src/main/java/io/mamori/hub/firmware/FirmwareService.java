package io.mamori.hub.firmware;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mamori.hub.events.EventPublisher;
import io.mamori.hub.events.HubEvent;
import io.mamori.hub.pki.CodeSigningKey;
import io.mamori.hub.registry.Transactor;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Firmware for OTA: operators upload images, the hub stores them by hash, signs them with its
 * code-signing key (never a CA key) and builds the OTA job document that carries size, hash,
 * signature and a download-URL placeholder that {@link FirmwareDocuments} fills per device.
 */
public final class FirmwareService {
  /** The placeholder prefix in stored job documents; the firmware id and '}' follow. */
  public static final String URL_PLACEHOLDER = "${mamori:firmware-url:";

  private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9._+-]{1,64}");

  private final FirmwareRepository repository;
  private final FirmwareFiles files;
  private final CodeSigningKey signingKey;
  private final Transactor transactor;
  private final EventPublisher events;
  private final Clock clock;

  public FirmwareService(
      FirmwareRepository repository,
      FirmwareFiles files,
      CodeSigningKey signingKey,
      Transactor transactor,
      EventPublisher events,
      Clock clock) {
    this.repository = repository;
    this.files = files;
    this.signingKey = signingKey;
    this.transactor = transactor;
    this.events = events;
    this.clock = clock;
  }

  /**
   * Stores, hashes and signs an image. Versions are unique, and so are images: the same bytes under
   * a second version are refused (they would be one file with two names).
   */
  public Firmware upload(byte[] content, String version, String actor) {
    if (version == null || !VERSION.matcher(version).matches()) {
      throw new FirmwareException(
          FirmwareException.Kind.INVALID,
          "version must be 1-64 characters of letters, digits, '.', '_', '+' and '-'");
    }
    if (content.length == 0) {
      throw new FirmwareException(FirmwareException.Kind.INVALID, "the firmware image is empty");
    }
    String sha256 = FirmwareFiles.sha256(content);
    Firmware firmware =
        new Firmware(
            sha256,
            version,
            content.length,
            sha256,
            signingKey.sign(content),
            clock.instant().getEpochSecond());
    transactor.inTransaction(
        () -> {
          repository
              .find(sha256)
              .ifPresent(
                  f -> {
                    throw new FirmwareException(
                        FirmwareException.Kind.CONFLICT,
                        "this image was already uploaded as version " + f.version());
                  });
          if (repository.findByVersion(version).isPresent()) {
            throw new FirmwareException(
                FirmwareException.Kind.CONFLICT, "version " + version + " exists");
          }
          // The file first: a record never points at bytes that are not there.
          files.write(content);
          repository.insert(firmware);
        });
    events.publish(
        new HubEvent(
            "firmware.uploaded",
            clock.instant(),
            actor,
            sha256,
            HubEvent.SUCCESS,
            "",
            Map.of("version", version, "sizeBytes", Long.toString(content.length))));
    return firmware;
  }

  public Firmware get(String firmwareId) {
    return repository
        .find(firmwareId)
        .orElseThrow(
            () ->
                new FirmwareException(
                    FirmwareException.Kind.NOT_FOUND, "firmware " + firmwareId + " not found"));
  }

  public List<Firmware> list() {
    return repository.list();
  }

  /** The image's bytes, checked against its recorded hash. */
  public byte[] content(String firmwareId) {
    return files.read(get(firmwareId).sha256());
  }

  public CodeSigningKey signingKey() {
    return signingKey;
  }

  /**
   * The OTA job document: {@code {"operation": "ota", "firmware": {...}}} with the firmware's id,
   * version, size, SHA-256, base64 signature and the URL placeholder.
   */
  public ObjectNode otaDocument(String firmwareId) {
    Firmware f = get(firmwareId);
    ObjectNode document = JsonNodeFactory.instance.objectNode().put("operation", "ota");
    document
        .putObject("firmware")
        .put("firmwareId", f.firmwareId())
        .put("version", f.version())
        .put("size", f.sizeBytes())
        .put("sha256", f.sha256())
        .put("signatureAlgorithm", CodeSigningKey.ALGORITHM)
        .put("signature", Base64.getEncoder().encodeToString(f.signature()))
        .put("url", URL_PLACEHOLDER + f.firmwareId() + "}");
    return document;
  }
}
