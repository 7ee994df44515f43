package io.mamori.hub.it;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs Eclipse Mosquitto's {@code mosquitto_pub} / {@code mosquitto_sub} as processes: a real
 * third-party MQTT client talking to the hub over mutual TLS.
 */
public final class MosquittoClients {
  private final int port;
  private final Path certificates;

  public MosquittoClients(int port, Path certificates) {
    this.port = port;
    this.certificates = certificates;
  }

  /** Skips locally when the clients are missing; on CI (which installs them) that is a failure. */
  public static void requireInstalled() {
    boolean present =
        Files.isExecutable(Path.of("/usr/bin/mosquitto_pub"))
            || System.getenv("PATH") != null
                && List.of(System.getenv("PATH").split(":")).stream()
                    .anyMatch(dir -> Files.isExecutable(Path.of(dir, "mosquitto_pub")));
    if (!present && "true".equals(System.getenv("CI"))) {
      fail("mosquitto-clients must be installed on CI (.ci/run installs them)");
    }
    Assumptions.assumeTrue(present, "mosquitto-clients not installed");
  }

  /** A started {@code mosquitto_sub}; read its output after it exits. */
  public record Subscriber(Process process, Path output) {
    public String awaitOutput(long seconds) throws Exception {
      if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        fail("mosquitto_sub did not finish in " + seconds + " s; output: " + read());
      }
      return read();
    }

    String read() throws IOException {
      return Files.readString(output, StandardCharsets.UTF_8);
    }
  }

  public Subscriber subscribe(String device, String filter, int count, String... extra)
      throws IOException {
    List<String> command = new ArrayList<>(common("mosquitto_sub", device));
    command.addAll(List.of("-t", filter, "-C", Integer.toString(count), "-W", "20", "-v"));
    command.addAll(List.of(extra));
    Path output = Files.createTempFile(certificates, "sub-", ".out");
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .start();
    return new Subscriber(process, output);
  }

  /** Publishes one message; returns the process exit code and its output. */
  public Result publish(String device, String topic, String message, String... extra)
      throws Exception {
    List<String> command = new ArrayList<>(common("mosquitto_pub", device));
    command.addAll(List.of("-t", topic, "-m", message));
    command.addAll(List.of(extra));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      fail("mosquitto_pub did not finish");
    }
    return new Result(
        process.exitValue(),
        new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
  }

  public record Result(int exitCode, String output) {}

  private List<String> common(String program, String device) {
    return List.of(
        program,
        "-h",
        "localhost",
        "-p",
        Integer.toString(port),
        "--cafile",
        certificates.resolve("ca.crt").toString(),
        "--cert",
        certificates.resolve(device + ".crt").toString(),
        "--key",
        certificates.resolve(device + ".key").toString(),
        "-i",
        device,
        "-q",
        "1");
  }
}
