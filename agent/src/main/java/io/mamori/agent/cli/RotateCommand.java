package io.mamori.agent.cli;

import io.mamori.agent.identity.CertificateApi;
import io.mamori.agent.identity.CertificateRotation;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code mamori-agent rotate}: replaces the device's certificate over MQTT. */
@Command(
    name = "rotate",
    mixinStandardHelpOptions = true,
    description = {
      "Rotate the device's certificate over MQTT; prints the new certificate id.",
      "",
      "Generates a new P-256 key and CSR on this machine, sends the CSR to"
          + " $aws/certificates/create-from-csr while connected with the current certificate,"
          + " then reconnects with the new one. The --cert and --key files are replaced"
          + " (atomically, mode 0600) only after the new certificate has connected; until then"
          + " the new pair waits in <cert>.new and <key>.new, and a later run picks it up. The"
          + " hub attaches the new certificate to the same thing and policies and deactivates"
          + " the old one once the new one has connected (or after its --rotation-grace)."
    })
public final class RotateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ConnectionOptions connection;

  @Option(
      names = "--format",
      defaultValue = "json",
      paramLabel = "json|cbor",
      description = "Payload format of the certificate API (default: ${DEFAULT-VALUE}).")
  String format;

  @Option(
      names = {"-v", "--verbose"},
      description = "Print each step on stderr.")
  boolean verbose;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    CertificateApi.Format payloadFormat =
        switch (format) {
          case "json" -> CertificateApi.Format.JSON;
          case "cbor" -> CertificateApi.Format.CBOR;
          default ->
              throw new picocli.CommandLine.ParameterException(
                  spec.commandLine(), "--format must be json or cbor, got '" + format + "'");
        };
    var rotation =
        new CertificateRotation(
            connection.endpoint(),
            connection.clientId,
            connection.timeout(),
            payloadFormat,
            step -> {
              if (verbose) {
                err.println("mamori-agent: " + step);
                err.flush();
              }
            });
    var result = rotation.rotate(connection.credentials());
    out.println(result.certificateId());
    out.flush();
    return 0;
  }
}
