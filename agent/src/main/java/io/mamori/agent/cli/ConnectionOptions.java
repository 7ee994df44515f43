package io.mamori.agent.cli;

import io.mamori.agent.connection.Endpoint;
import io.mamori.agent.credentials.DeviceCredentials;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/** The options every device command needs to connect: endpoint, CA, certificate, key, client id. */
public final class ConnectionOptions {
  @Option(
      names = "--endpoint",
      required = true,
      paramLabel = "HOST:PORT",
      description = "The hub's MQTT endpoint (port defaults to 8883).")
  String endpoint;

  @Option(
      names = "--ca-file",
      required = true,
      paramLabel = "FILE",
      description = "PEM CA certificate(s) to trust the hub with (e.g. from 'mamori ca cert').")
  Path caFile;

  @Option(
      names = "--cert",
      required = true,
      paramLabel = "FILE",
      description = "The device's PEM certificate.")
  Path certificate;

  @Option(
      names = "--key",
      required = true,
      paramLabel = "FILE",
      description = "The device's PEM private key.")
  Path key;

  @Option(
      names = "--client-id",
      required = true,
      paramLabel = "ID",
      description = "MQTT client id (usually the thing name).")
  String clientId;

  @Option(
      names = "--timeout",
      defaultValue = "30",
      paramLabel = "SECONDS",
      description =
          "Longest wait for each step: connect, subscribe, answer (default: ${DEFAULT-VALUE}).")
  int timeoutSeconds;

  Endpoint endpoint() {
    return Endpoint.parse(endpoint);
  }

  DeviceCredentials credentials() {
    return new DeviceCredentials(certificate, key, caFile);
  }

  Duration timeout() {
    return Duration.ofSeconds(Math.max(1, timeoutSeconds));
  }
}
