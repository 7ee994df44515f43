package io.mamori.hub.operations;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

/**
 * The remote operations a job can ask a device for, as job templates: each is a job document {@code
 * {"operation": NAME, ...}} that the reference agent (and any device written against it)
 * understands. OTA documents come from the firmware service, the others from here.
 */
public enum RemoteOperation {
  /** Restart the device (the agent reconnects). */
  REBOOT("reboot"),
  /** Wipe credentials and data; on SUCCEEDED the hub revokes and detaches the certificate. */
  FACTORY_RESET("factory-reset"),
  /** Apply {@code settings} and report them in the shadow's reported state. */
  CONFIG("config"),
  /** Install signed firmware (document from {@code FirmwareService.otaDocument}). */
  OTA("ota");

  private final String documentName;

  RemoteOperation(String documentName) {
    this.documentName = documentName;
  }

  /** The {@code operation} value in job documents. */
  public String documentName() {
    return documentName;
  }

  /** The operation a job document asks for, empty when it names none we know. */
  public static Optional<RemoteOperation> of(JsonNode document) {
    String name = document.path("operation").asText("");
    return Arrays.stream(values()).filter(o -> o.documentName.equals(name)).findFirst();
  }

  /** The template named {@code name} ({@code reboot}, {@code factory-reset}, {@code config}). */
  public static Optional<RemoteOperation> template(String name) {
    return Arrays.stream(values()).filter(o -> o != OTA && o.documentName.equals(name)).findFirst();
  }

  /**
   * The job document of this template; {@code settings} only for {@link #CONFIG}, which needs at
   * least one.
   */
  public ObjectNode document(Map<String, String> settings) {
    ObjectNode document = JsonNodeFactory.instance.objectNode().put("operation", documentName);
    switch (this) {
      case CONFIG -> {
        if (settings.isEmpty()) {
          throw new IllegalArgumentException("a config job needs at least one setting");
        }
        ObjectNode values = document.putObject("settings");
        settings.forEach(values::put);
      }
      case OTA -> throw new IllegalArgumentException("OTA documents come from a firmware image");
      default -> {
        if (!settings.isEmpty()) {
          throw new IllegalArgumentException(documentName + " takes no settings");
        }
      }
    }
    return document;
  }
}
