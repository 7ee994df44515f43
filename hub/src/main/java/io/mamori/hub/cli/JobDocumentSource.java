package io.mamori.hub.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mamori.hub.operations.RemoteOperation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where {@code mamori job create} takes its document from: a file ({@code --document}), a remote
 * operation template ({@code --template reboot|factory-reset|config} with {@code --setting k=v}),
 * or a firmware image ({@code --ota ID}, whose signed OTA document the hub builds). Exactly one.
 */
final class JobDocumentSource {
  private JobDocumentSource() {}

  static ObjectNode resolve(
      ClientOptions options,
      Optional<Path> document,
      Optional<String> template,
      Optional<String> firmwareId,
      List<String> settings) {
    int given =
        (document.isPresent() ? 1 : 0)
            + (template.isPresent() ? 1 : 0)
            + (firmwareId.isPresent() ? 1 : 0);
    if (given != 1) {
      throw new CliFailure("give exactly one of --document FILE, --template NAME or --ota ID");
    }
    if (!settings.isEmpty() && template.filter("config"::equals).isEmpty()) {
      throw new CliFailure("--setting belongs to --template config");
    }
    if (document.isPresent()) {
      return fromFile(options, document.get());
    }
    if (firmwareId.isPresent()) {
      JsonNode firmware =
          options.client().get("/api/v1/firmware/" + ApiClient.segment(firmwareId.get()));
      if (!(firmware.path("jobDocument") instanceof ObjectNode ota)) {
        throw new CliFailure("the hub gave no OTA job document for firmware " + firmwareId.get());
      }
      return ota;
    }
    RemoteOperation operation =
        RemoteOperation.template(template.get())
            .orElseThrow(
                () ->
                    new CliFailure(
                        "unknown template '"
                            + template.get()
                            + "': use reboot, factory-reset or config"));
    try {
      return operation.document(parseSettings(settings));
    } catch (IllegalArgumentException e) {
      throw new CliFailure(e.getMessage() + " (--setting KEY=VALUE)");
    }
  }

  private static Map<String, String> parseSettings(List<String> settings) {
    Map<String, String> parsed = new LinkedHashMap<>();
    for (String setting : settings) {
      int eq = setting.indexOf('=');
      if (eq <= 0) {
        throw new CliFailure("--setting must be KEY=VALUE, not '" + setting + "'");
      }
      parsed.put(setting.substring(0, eq), setting.substring(eq + 1));
    }
    return parsed;
  }

  private static ObjectNode fromFile(ClientOptions options, Path document) {
    String text;
    try {
      text = Files.readString(document);
    } catch (IOException e) {
      throw CliFailure.unreadable("the job document", document, e);
    }
    JsonNode parsed;
    try {
      parsed = options.json().readTree(text);
    } catch (JsonProcessingException e) {
      throw new CliFailure(document + " is not valid JSON: " + e.getOriginalMessage());
    }
    if (!(parsed instanceof ObjectNode object)) {
      throw new CliFailure(document + " must hold a JSON object");
    }
    return object;
  }
}
