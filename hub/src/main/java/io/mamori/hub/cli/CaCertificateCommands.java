package io.mamori.hub.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The {@code mamori ca} subcommands for manufacturers' CA certificates (reference §2.1). */
final class CaCertificateCommands {
  private CaCertificateCommands() {}

  static String path(String id) {
    return "/api/v1/ca-certificates/" + ApiClient.segment(id);
  }

  /** {@code mamori ca registration-code}. */
  @Command(
      name = "registration-code",
      mixinStandardHelpOptions = true,
      description = {
        "Print this hub's CA registration code (the same every time).",
        "To prove you hold a CA's key, sign a verification certificate whose subject CN is this"
            + " code with it, e.g.:",
        "  openssl req -new -key verification.key -subj \"/CN=$(mamori ca registration-code)\""
            + " -out verification.csr",
        "  openssl x509 -req -in verification.csr -CA ca.pem -CAkey ca.key -CAcreateserial"
            + " -days 1 -out verification.pem"
      })
  static final class RegistrationCode implements Callable<Integer> {
    @Mixin ClientOptions options;

    @Override
    public Integer call() {
      options
          .out()
          .println(
              options
                  .client()
                  .get("/api/v1/ca-certificates/registration-code")
                  .path("registrationCode")
                  .asText());
      return 0;
    }
  }

  /** {@code mamori ca register}. */
  @Command(
      name = "register",
      mixinStandardHelpOptions = true,
      description = {
        "Register a manufacturer's CA certificate so that device certificates it issued can"
            + " connect. Prints the CA certificate id.",
        "DEFAULT mode needs --verification-cert (proof of possession of the CA key);"
            + " --mode SNI_ONLY registers without it (a CA shared across hubs)."
      })
  static final class Register implements Callable<Integer> {
    @Mixin ClientOptions options;

    @Option(
        names = "--cert",
        required = true,
        paramLabel = "FILE",
        description = "The CA certificate (PEM or DER).")
    Path cert;

    @Option(
        names = "--verification-cert",
        paramLabel = "FILE",
        description = "Certificate with CN = registration code, signed by the CA's key.")
    Optional<Path> verification = Optional.empty();

    @Option(
        names = "--mode",
        paramLabel = "MODE",
        defaultValue = "DEFAULT",
        description = "DEFAULT (proof of possession) or SNI_ONLY. Default: ${DEFAULT-VALUE}.")
    String mode;

    @Option(
        names = "--set-active",
        description = "Register ACTIVE at once (default INACTIVE, as AWS IoT).")
    boolean setActive;

    @Option(
        names = "--allow-auto-registration",
        description = "Auto-register unknown device certificates from this CA (JITR/JITP).")
    boolean allowAutoRegistration;

    @Option(
        names = "--registration-config",
        paramLabel = "FILE",
        description = "JSON {\"templateBody\": \"...\"} or {\"templateName\": \"...\"} for JITP.")
    Optional<Path> registrationConfig = Optional.empty();

    @Option(
        names = "--template",
        paramLabel = "NAME",
        description =
            "Stored provisioning template for JITP (same as --registration-config with"
                + " {\"templateName\": NAME}); with --allow-auto-registration.")
    Optional<String> template = Optional.empty();

    @Override
    public Integer call() {
      if (template.isPresent() && registrationConfig.isPresent()) {
        throw new CliFailure("give --template or --registration-config, not both");
      }
      ObjectNode body =
          options
              .json()
              .createObjectNode()
              .put("caCertificate", CertificateFiles.readAsPem(cert, "the CA certificate"))
              .put("certificateMode", mode)
              .put("setAsActive", setActive)
              .put("allowAutoRegistration", allowAutoRegistration);
      verification.ifPresent(
          file ->
              body.put(
                  "verificationCertificate",
                  CertificateFiles.readAsPem(file, "the verification certificate")));
      registrationConfig.ifPresent(file -> body.set("registrationConfig", readJson(options, file)));
      template.ifPresent(name -> body.putObject("registrationConfig").put("templateName", name));
      JsonNode registered = options.client().post("/api/v1/ca-certificates", body);
      options.out().println(registered.path("id").asText());
      return 0;
    }
  }

  /** {@code mamori ca list}. */
  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "List registered CA certificates.")
  static final class ListCas implements Callable<Integer> {
    @Mixin ClientOptions options;
    @Mixin JsonOption json;

    @Override
    public Integer call() {
      JsonNode answer = options.client().get("/api/v1/ca-certificates");
      if (json.enabled) {
        options.printJson(answer);
        return 0;
      }
      List<List<String>> rows = new ArrayList<>();
      for (JsonNode ca : answer.path("caCertificates")) {
        rows.add(
            List.of(
                ca.path("id").asText(),
                ca.path("status").asText(),
                ca.path("certificateMode").asText(),
                ca.path("autoRegistrationStatus").asText(),
                ca.path("subject").asText(),
                ca.path("notAfter").asText()));
      }
      TextOutput.table(
          options.out(),
          List.of("ID", "STATUS", "MODE", "AUTO-REGISTRATION", "SUBJECT", "NOT AFTER"),
          rows);
      return 0;
    }
  }

  /** {@code mamori ca show ID}. */
  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      description = "Show a registered CA certificate and its PEM.")
  static final class Show extends CertificateShow {
    @Parameters(paramLabel = "ID", description = "CA certificate id.")
    String id;

    @Override
    String path() {
      return CaCertificateCommands.path(id);
    }

    @Override
    List<String[]> fields(JsonNode ca) {
      return List.of(
          TextOutput.field("id", ca.path("id").asText()),
          TextOutput.field("status", ca.path("status").asText()),
          TextOutput.field("mode", ca.path("certificateMode").asText()),
          TextOutput.field("auto-registration", ca.path("autoRegistrationStatus").asText()),
          TextOutput.field("subject", ca.path("subject").asText()),
          TextOutput.field("serial", ca.path("serialNumber").asText()),
          TextOutput.field("not before", ca.path("notBefore").asText()),
          TextOutput.field("not after", ca.path("notAfter").asText()),
          TextOutput.field("device certificates", ca.path("deviceCertificateCount").asText()),
          TextOutput.field(
              "registration config",
              ca.has("registrationConfig") ? ca.path("registrationConfig").toString() : "-"),
          TextOutput.field("JITR webhook", ca.path("jitrWebhook").asText("-")));
    }
  }

  /** Activate, deactivate and revoke: each subcommand names only the status it asks for. */
  abstract static class StatusChange implements Callable<Integer> {
    @Mixin ClientOptions options;

    @Parameters(paramLabel = "ID", description = "CA certificate id.")
    String id;

    private final String status;

    StatusChange(String status) {
      this.status = status;
    }

    @Override
    public Integer call() {
      var body = options.json().createObjectNode().put("status", status);
      JsonNode ca = options.client().put(path(id) + "/status", body);
      options.out().println("CA certificate " + id + " is now " + ca.path("status").asText(status));
      return 0;
    }
  }

  /** {@code mamori ca activate ID}. */
  @Command(
      name = "activate",
      mixinStandardHelpOptions = true,
      description =
          "Make a CA ACTIVE: device certificates it issued may connect (not after revoke).")
  static final class Activate extends StatusChange {
    Activate() {
      super("ACTIVE");
    }
  }

  /** {@code mamori ca deactivate ID}. */
  @Command(
      name = "deactivate",
      mixinStandardHelpOptions = true,
      description = "Make a CA INACTIVE: its devices' live connections close at once.")
  static final class Deactivate extends StatusChange {
    Deactivate() {
      super("INACTIVE");
    }
  }

  /** {@code mamori ca revoke ID}. */
  @Command(
      name = "revoke",
      mixinStandardHelpOptions = true,
      description = "Revoke a CA for good (key compromised): its devices are cut off for good.")
  static final class Revoke extends StatusChange {
    Revoke() {
      super("REVOKED");
    }
  }

  /** {@code mamori ca auto-registration ID ENABLE|DISABLE}. */
  @Command(
      name = "auto-registration",
      mixinStandardHelpOptions = true,
      description = "Turn auto-registration (JITR/JITP) of a CA's devices on or off.")
  static final class AutoRegistration implements Callable<Integer> {
    @Mixin ClientOptions options;

    @Parameters(index = "0", paramLabel = "ID", description = "CA certificate id.")
    String id;

    @Parameters(index = "1", paramLabel = "STATUS", description = "ENABLE or DISABLE.")
    String status;

    @Option(
        names = "--registration-config",
        paramLabel = "FILE",
        description = "JSON {\"templateBody\": ...} or {\"templateName\": ...} to store for JITP.")
    Optional<Path> registrationConfig = Optional.empty();

    @Override
    public Integer call() {
      var body = options.json().createObjectNode().put("autoRegistrationStatus", status);
      registrationConfig.ifPresent(file -> body.set("registrationConfig", readJson(options, file)));
      JsonNode ca = options.client().put(path(id) + "/auto-registration", body);
      options
          .out()
          .println(
              "CA certificate "
                  + id
                  + " auto-registration "
                  + ca.path("autoRegistrationStatus").asText());
      return 0;
    }
  }

  /** {@code mamori ca delete ID}. */
  @Command(
      name = "delete",
      mixinStandardHelpOptions = true,
      description =
          "Delete a CA certificate; refused while it is ACTIVE or has registered device"
              + " certificates.")
  static final class Delete implements Callable<Integer> {
    @Mixin ClientOptions options;

    @Parameters(paramLabel = "ID", description = "CA certificate id.")
    String id;

    @Override
    public Integer call() {
      options.client().delete(path(id));
      options.out().println("CA certificate " + id + " deleted");
      return 0;
    }
  }

  private static JsonNode readJson(ClientOptions options, Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw CliFailure.unreadable("the registration config", file, e);
    }
    try {
      return options.json().readTree(text);
    } catch (IOException e) {
      throw new CliFailure("the registration config " + file + " is not valid JSON");
    }
  }
}
