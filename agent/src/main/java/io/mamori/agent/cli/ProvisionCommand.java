package io.mamori.agent.cli;

import io.mamori.agent.identity.CertificateApi;
import io.mamori.agent.identity.FleetProvisioning;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code mamori-agent provision}: fleet provisioning by claim. */
@Command(
    name = "provision",
    mixinStandardHelpOptions = true,
    description = {
      "Provision this device by claim; prints the thing name and the new certificate id.",
      "",
      "Connects with the fleet's shared claim certificate, generates a P-256 key and sends a CSR"
          + " to $aws/certificates/create-from-csr, registers the thing with"
          + " $aws/provisioning-templates/TEMPLATE/provision, writes OUT/device.crt and"
          + " OUT/device.key (mode 0600), then reconnects with them using the thing name as client"
          + " id."
    })
public final class ProvisionCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ClaimOptions claim;

  @Option(
      names = "--param",
      paramLabel = "KEY=VALUE",
      description = "A template parameter; repeatable.")
  Map<String, String> parameters = new LinkedHashMap<>();

  @Option(
      names = "--serial",
      paramLabel = "S",
      description = "Shorthand for --param SerialNumber=S (the AWS examples' parameter).")
  Optional<String> serial = Optional.empty();

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where to write.")
  Path out;

  @Option(
      names = "--client-id",
      paramLabel = "ID",
      description = "Client id of the claim session (default: a random one).")
  Optional<String> clientId = Optional.empty();

  @Option(
      names = "--format",
      defaultValue = "json",
      paramLabel = "json|cbor",
      description = "Payload format (default: ${DEFAULT-VALUE}).")
  String format;

  @Option(
      names = "--timeout",
      defaultValue = "30",
      paramLabel = "SECONDS",
      description = "Longest wait for each step (default: ${DEFAULT-VALUE}).")
  int timeoutSeconds;

  @Option(
      names = {"-v", "--verbose"},
      description = "Print each step on stderr.")
  boolean verbose;

  @Override
  public Integer call() {
    PrintWriter stdout = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    CertificateApi.Format payloadFormat =
        switch (format) {
          case "json" -> CertificateApi.Format.JSON;
          case "cbor" -> CertificateApi.Format.CBOR;
          default ->
              throw new ParameterException(
                  spec.commandLine(), "--format must be json or cbor, got '" + format + "'");
        };
    var all = new LinkedHashMap<>(parameters);
    serial.ifPresent(s -> all.put("SerialNumber", s));
    var provisioning =
        new FleetProvisioning(
            claim.endpoint(),
            clientId.orElse("provision-" + UUID.randomUUID()),
            Duration.ofSeconds(Math.max(1, timeoutSeconds)),
            payloadFormat,
            step -> {
              if (verbose) {
                err.println("mamori-agent: " + step);
                err.flush();
              }
            });
    var result = provisioning.provision(claim.claimCredentials(), claim.template(), all, out);
    stdout.println(result.thingName() + " " + result.certificateId());
    result.deviceConfiguration().forEach((k, v) -> stdout.println("config " + k + "=" + v));
    stdout.flush();
    return 0;
  }
}
