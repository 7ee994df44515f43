package io.mamori.hub.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Where a running hub listens, as written to {@code DATA/endpoint.json} so that the CLI and scripts
 * can find it: {@code {"mqtt":{"host":"0.0.0.0","port":8883},"api":{"url":"https://..."}}}.
 *
 * @param mqttHost the address the MQTT listener is bound to
 * @param mqttPort the MQTT port actually bound
 * @param apiUrl the admin API's base URL, e.g. {@code https://127.0.0.1:8443}
 */
public record HubEndpoint(String mqttHost, int mqttPort, String apiUrl) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Reads an endpoint file; {@link IllegalArgumentException} when it is not the expected shape. */
  public static HubEndpoint read(Path file) {
    JsonNode root;
    try {
      root = JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    JsonNode host = root == null ? null : root.path("mqtt").get("host");
    JsonNode port = root == null ? null : root.path("mqtt").get("port");
    JsonNode url = root == null ? null : root.path("api").get("url");
    if (host == null
        || !host.isTextual()
        || port == null
        || !port.canConvertToInt()
        || url == null
        || !url.isTextual()) {
      throw new IllegalArgumentException(
          file + " must hold {\"mqtt\":{\"host\":..,\"port\":..},\"api\":{\"url\":..}}");
    }
    return new HubEndpoint(host.textValue(), port.intValue(), url.textValue());
  }

  /** Writes the file atomically (temporary file, then rename), so a reader never sees half. */
  public void write(Path file) {
    ObjectNode root = JSON.createObjectNode();
    root.putObject("mqtt").put("host", mqttHost).put("port", mqttPort);
    root.putObject("api").put("url", apiUrl);
    try {
      Path dir = file.toAbsolutePath().getParent();
      Files.createDirectories(dir);
      Path temp = Files.createTempFile(dir, ".endpoint", ".tmp");
      try {
        Files.writeString(temp, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root));
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } finally {
        Files.deleteIfExists(temp);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
