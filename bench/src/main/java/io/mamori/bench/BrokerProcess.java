package io.mamori.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A broker under test running as a child process, so its memory and CPU are its own. */
abstract class BrokerProcess implements AutoCloseable {
  private final String name;
  protected Process process;

  BrokerProcess(String name) {
    this.name = name;
  }

  String name() {
    return name;
  }

  abstract int mqttPort();

  long pid() {
    return process.pid();
  }

  ProcessStats stats() {
    return new ProcessStats(process.pid());
  }

  protected Process launch(List<String> command, Path log) throws IOException {
    Files.createDirectories(log.getParent());
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
    builder.environment().putAll(environment());
    return builder.start();
  }

  /** Environment variables the broker is started with, on top of the bench's own. */
  protected Map<String, String> environment() {
    return Map.of();
  }

  /** Waits until something accepts TCP connections on the port (or the process died). */
  protected void awaitListening(int port, Duration timeout, Path log) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException(name + " exited with " + process.exitValue() + "; see " + log);
      }
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
        return;
      } catch (IOException notYet) {
        sleep(100);
      }
    }
    throw new IOException(name + " did not listen on port " + port + " in time; see " + log);
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  @Override
  public void close() {
    if (process == null || !process.isAlive()) {
      return;
    }
    process.destroy(); // SIGTERM: both brokers shut down cleanly on it
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
