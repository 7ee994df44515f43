package io.mamori.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The Mamori hub as {@code ./mamori serve} runs it ({@code io.mamori.hub.cli.Main serve}), in a
 * child JVM on free ports over a data directory that survives runs, so the CA and the registered
 * devices are made once.
 */
final class MamoriProcess extends BrokerProcess {
  private final Path dataDir;
  private int mqttPort;
  private String apiUrl;

  MamoriProcess(Path dataDir) {
    super("Mamori");
    this.dataDir = dataDir;
  }

  /** As ./mamori starts the hub: two malloc arenas unless the caller's environment says. */
  @Override
  protected Map<String, String> environment() {
    return Map.of("MALLOC_ARENA_MAX", System.getenv().getOrDefault("MALLOC_ARENA_MAX", "2"));
  }

  MamoriProcess start(List<String> javaOptions, Path log) throws IOException {
    return start(javaOptions, List.of(), log);
  }

  /** As {@link #start(List, Path)}, with extra {@code serve} flags (e.g. --no-audit-log). */
  MamoriProcess start(List<String> javaOptions, List<String> serveArguments, Path log)
      throws IOException {
    Path endpoint = dataDir.resolve("endpoint.json");
    Files.deleteIfExists(endpoint);
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(javaOptions);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("io.mamori.hub.cli.Main");
    command.addAll(
        List.of(
            "serve",
            "--data",
            dataDir.toString(),
            "--mqtt-host",
            "127.0.0.1",
            "--mqtt-port",
            "0",
            "--api-port",
            "0",
            "--pki-http-port",
            "0",
            // Throughput runs measure the broker, not its per-connection publish rate limit.
            "--max-publishes-per-second",
            "0"));
    command.addAll(serveArguments);
    process = launch(command, log);
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (!Files.exists(endpoint)) {
      if (!process.isAlive()) {
        throw new IOException("Mamori exited with " + process.exitValue() + "; see " + log);
      }
      if (System.nanoTime() > deadline) {
        throw new IOException("Mamori did not start in 120 s; see " + log);
      }
      sleep(100);
    }
    JsonNode root = new ObjectMapper().readTree(endpoint.toFile());
    mqttPort = root.path("mqtt").path("port").asInt();
    apiUrl = root.path("api").path("url").asText();
    awaitListening(mqttPort, Duration.ofSeconds(30), log);
    return this;
  }

  @Override
  int mqttPort() {
    return mqttPort;
  }

  String apiUrl() {
    return apiUrl;
  }

  Path dataDir() {
    return dataDir;
  }

  Path caChain() {
    return dataDir.resolve("pki").resolve("ca-chain.pem");
  }

  String adminToken() throws IOException {
    return Files.readString(dataDir.resolve("admin.token")).trim();
  }
}
