package io.mamori.hub.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code mamori cert register}: AWS RegisterCertificate for a certificate issued elsewhere. */
@Command(
    name = "register",
    mixinStandardHelpOptions = true,
    description = {
      "Register one device certificate issued by a registered CA (mamori ca register)."
          + " Prints the certificate id.",
      "The hub checks that the CA is ACTIVE and issued it, and that it is valid now;"
          + " --thing and --policy are attached in the same step (all or nothing).",
      "--without-ca (AWS RegisterCertificateWithoutCA) registers a certificate whose CA is not"
          + " registered: it then connects by exact match of the whole certificate, with no"
          + " chain check. Refused for a certificate of the hub's CA or a registered CA."
    })
final class CertRegisterCommand implements Callable<Integer> {
  @Mixin ClientOptions options;

  @Option(
      names = "--cert",
      required = true,
      paramLabel = "FILE",
      description = "The device certificate (PEM or DER).")
  Path cert;

  @Option(
      names = "--ca-id",
      paramLabel = "ID",
      description = "The issuing CA's id (found by issuer name and signature when omitted).")
  Optional<String> caId = Optional.empty();

  @Option(
      names = "--without-ca",
      description = "Register without its CA: trusted by exact certificate match only.")
  boolean withoutCa;

  @Option(
      names = "--status",
      paramLabel = "STATUS",
      defaultValue = "INACTIVE",
      description = "ACTIVE, INACTIVE or REVOKED. Default: ${DEFAULT-VALUE}, as AWS IoT.")
  String status;

  @Option(names = "--thing", paramLabel = "NAME", description = "Existing thing to attach.")
  Optional<String> thing = Optional.empty();

  @Option(names = "--policy", paramLabel = "POLICY", description = "Existing policy to attach.")
  Optional<String> policy = Optional.empty();

  @Override
  public Integer call() {
    var body =
        options
            .json()
            .createObjectNode()
            .put("certificatePem", CertificateFiles.readAsPem(cert, "the device certificate"))
            .put("status", status);
    if (withoutCa && caId.isPresent()) {
      throw new CliFailure("--without-ca and --ca-id exclude each other");
    }
    caId.ifPresent(id -> body.put("caCertificateId", id));
    if (withoutCa) {
      body.put("withoutCa", true);
    }
    thing.ifPresent(t -> body.put("thingName", t));
    policy.ifPresent(p -> body.put("policyName", p));
    JsonNode registered = options.client().post("/api/v1/certificates/register", body);
    options.out().println(registered.path("certificateId").asText());
    return 0;
  }
}
