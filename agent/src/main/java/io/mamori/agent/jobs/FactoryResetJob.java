package io.mamori.agent.jobs;

import io.mamori.agent.connection.DeviceConnection;
import io.mamori.agent.credentials.DeviceCredentials;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;

/**
 * {@code "operation": "factory-reset"}: deletes the device's private key and certificate and
 * everything in its data directory (firmware slots, settings), then reports SUCCEEDED over the
 * connection still open and stops the agent. The hub then revokes and detaches the certificate, so
 * even a copy of the key cannot connect again. The CA file stays: it is the factory trust anchor.
 */
public final class FactoryResetJob implements JobHandler {
  private final DeviceCredentials credentials;
  private final Path dataDir;

  public FactoryResetJob(DeviceCredentials credentials, Path dataDir) {
    this.credentials = credentials;
    this.dataDir = dataDir;
  }

  @Override
  public String operation() {
    return "factory-reset";
  }

  @Override
  public JobOutcome run(Execution execution, DeviceConnection connection) {
    try {
      Files.deleteIfExists(credentials.keyFile());
      Files.deleteIfExists(credentials.certificateFile());
      if (Files.isDirectory(dataDir)) {
        emptyDirectory(dataDir);
      }
    } catch (IOException e) {
      return new JobOutcome.Failed("wipe incomplete: " + e.getMessage());
    }
    return new JobOutcome.Succeeded(Map.of("wiped", "credentials,data"), true);
  }

  private static void emptyDirectory(Path dir) throws IOException {
    Files.walkFileTree(
        dir,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            Files.delete(file);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
            if (e != null) {
              throw e;
            }
            if (!d.equals(dir)) {
              Files.delete(d);
            }
            return FileVisitResult.CONTINUE;
          }
        });
  }
}
