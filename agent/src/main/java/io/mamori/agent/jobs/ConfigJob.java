package io.mamori.agent.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mamori.agent.AgentException;
import io.mamori.agent.connection.DeviceConnection;
import io.mamori.agent.connection.RequestResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

/**
 * {@code "operation": "config"} with {@code "settings": {k: v}}: merges the settings into {@code
 * DATA/settings.json} (the device's own copy, kept over power loss) and reports them in its classic
 * shadow's reported state (reference §4), so the hub keeps them too and operators see them.
 */
public final class ConfigJob implements JobHandler {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Path settingsFile;

  public ConfigJob(Path dataDir) {
    this.settingsFile = dataDir.resolve("settings.json");
  }

  @Override
  public String operation() {
    return "config";
  }

  @Override
  public JobOutcome run(Execution execution, DeviceConnection connection) {
    JsonNode settings = execution.document().path("settings");
    if (!settings.isObject() || settings.isEmpty()) {
      return new JobOutcome.Failed("a config job needs a non-empty settings object");
    }
    ObjectNode stored;
    try {
      stored =
          Files.exists(settingsFile)
              ? (ObjectNode) JSON.readTree(settingsFile.toFile())
              : JSON.createObjectNode();
      stored.setAll((ObjectNode) settings);
      FirmwareSlots.writeAtomically(settingsFile, JSON.writeValueAsBytes(stored));
    } catch (IOException | ClassCastException e) {
      return new JobOutcome.Failed("cannot store settings: " + e.getMessage());
    }
    ObjectNode update = JSON.createObjectNode();
    update.putObject("state").set("reported", settings.deepCopy());
    update.put("clientToken", UUID.randomUUID().toString());
    RequestResponse.Answer answer;
    try {
      answer =
          connection
              .requests()
              .request(
                  "$aws/things/" + connection.clientId() + "/shadow/update",
                  JSON.writeValueAsBytes(update));
    } catch (AgentException | IOException e) {
      return new JobOutcome.Failed("shadow update failed: " + e.getMessage());
    }
    if (!answer.accepted()) {
      return new JobOutcome.Failed("shadow update rejected: " + new String(answer.payload()));
    }
    return new JobOutcome.Succeeded(Map.of("settings", String.join(",", fieldNames(settings))));
  }

  private static java.util.List<String> fieldNames(JsonNode node) {
    java.util.List<String> names = new java.util.ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
