package io.mamori.hub.it;

import static org.assertj.core.api.Assertions.fail;

import io.mamori.hub.cli.Main;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * {@code mamori serve} as its own process, as an operator runs it: its environment, exit code and
 * everything it prints can be checked.
 */
final class HubProcess implements AutoCloseable {
  private final Process process;
  private final Path output;
  private final Path dataDir;

  private HubProcess(Process process, Path output, Path dataDir) {
    this.process = process;
    this.output = output;
    this.dataDir = dataDir;
  }

  /** Starts {@code mamori serve --data DIR} on free ports with {@code extra} flags. */
  static HubProcess start(Path dataDir, Map<String, String> environment, String... extra)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // The hub logs as in production (INFO), not at the tests' WARN, so its whole log is checked.
    command.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=info");
    command.add("-Dorg.slf4j.simpleLogger.log.io.mamori.hub.pki.CaKeyFiles=info");
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
    command.addAll(
        List.of(
            "serve",
            "--data",
            dataDir.toString(),
            "--mqtt-port",
            "0",
            "--mqtt-host",
            "127.0.0.1",
            "--api-port",
            "0",
            // Never the default 8080: the machine is shared and tests run in parallel.
            "--pki-http-port",
            "0"));
    command.addAll(List.of(extra));
    Files.createDirectories(dataDir);
    Path output = Files.createTempFile(dataDir.getParent(), "hub-", ".log");
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
    builder.environment().remove("MAMORI_CA_PASSPHRASE");
    builder.environment().putAll(environment);
    return new HubProcess(builder.start(), output, dataDir);
  }

  /**
   * Starts the hub again on a data directory whose last process was killed: the endpoint file such
   * a process leaves behind is stale, so it is removed first and {@link #awaitRunning} waits for
   * the new one.
   */
  static HubProcess restart(Path dataDir, String... extra) throws IOException {
    Files.deleteIfExists(dataDir.resolve("endpoint.json"));
    return start(dataDir, Map.of(), extra);
  }

  /** Where the running hub listens (from the endpoint file it wrote). */
  io.mamori.hub.cli.HubEndpoint endpoint() {
    return io.mamori.hub.cli.HubEndpoint.read(dataDir.resolve("endpoint.json"));
  }

  /** SIGKILL: the process ends at once, no shutdown hook, no flush; waits until it is gone. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      fail("hub survived SIGKILL for 30 s");
    }
  }

  /** Waits until the hub has written endpoint.json (it is serving). */
  HubProcess awaitRunning() {
    Awaitility.await()
        .atMost(Duration.ofSeconds(90))
        .until(
            () -> {
              if (!process.isAlive()) {
                fail("hub exited with " + process.exitValue() + ": " + output());
              }
              return Files.exists(dataDir.resolve("endpoint.json"));
            });
    return this;
  }

  /** Waits for the process to end (it must, within 90 s) and returns its exit code. */
  int awaitExit() throws InterruptedException {
    if (!process.waitFor(90, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      fail("hub did not exit: " + output());
    }
    return process.exitValue();
  }

  /** Everything the hub printed so far (stdout and stderr). */
  String output() {
    try {
      return Files.readString(output, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(unreadable: " + e + ")";
    }
  }

  /** The exit code and printed text of one CLI command run in this JVM against the hub. */
  record CliResult(int exitCode, String out, String err) {}

  /** Runs a CLI command as a user would, finding the hub through {@code --data}. */
  CliResult cli(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--data");
    all.add(dataDir.toString());
    java.io.StringWriter out = new java.io.StringWriter();
    java.io.StringWriter err = new java.io.StringWriter();
    picocli.CommandLine command = Main.newCommandLine();
    command.setOut(new java.io.PrintWriter(out, true));
    command.setErr(new java.io.PrintWriter(err, true));
    int exit = command.execute(all.toArray(String[]::new));
    return new CliResult(exit, out.toString(), err.toString());
  }

  /** SIGTERM, the graceful stop; waits for it. */
  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }
}
