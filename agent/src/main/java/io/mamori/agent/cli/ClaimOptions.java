package io.mamori.agent.cli;

import io.mamori.agent.connection.Endpoint;
import io.mamori.agent.credentials.DeviceCredentials;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The options every claim-based command shares: where the hub is, whom to trust, the fleet's claim
 * certificate and the provisioning template (a picocli mixin).
 */
final class ClaimOptions {
  @Option(
      names = "--endpoint",
      required = true,
      paramLabel = "HOST:PORT",
      description = "The hub's MQTT endpoint (port defaults to 8883).")
  String endpoint;

  @Option(names = "--ca-file", required = true, paramLabel = "FILE", description = "Hub CA (PEM).")
  Path caFile;

  @Option(
      names = "--claim-cert",
      required = true,
      paramLabel = "FILE",
      description = "The fleet's claim certificate (PEM).")
  Path claimCertificate;

  @Option(
      names = "--claim-key",
      required = true,
      paramLabel = "FILE",
      description = "The claim certificate's private key (PEM).")
  Path claimKey;

  @Option(
      names = "--template",
      required = true,
      paramLabel = "NAME",
      description = "Provisioning template.")
  String template;

  Endpoint endpoint() {
    return Endpoint.parse(endpoint);
  }

  DeviceCredentials claimCredentials() {
    return new DeviceCredentials(claimCertificate, claimKey, caFile);
  }

  String template() {
    return template;
  }
}
