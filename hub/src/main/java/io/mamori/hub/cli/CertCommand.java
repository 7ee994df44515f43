package io.mamori.hub.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mamori cert}: device certificates. */
@Command(
    name = "cert",
    mixinStandardHelpOptions = true,
    description = "Issue, list and show device certificates; activate, deactivate or revoke them.",
    subcommands = {
      CertIssueCommand.class,
      CertIssueBulkCommand.class,
      CertCommand.ListCertificates.class,
      CertCommand.Show.class,
      CertCommand.Activate.class,
      CertCommand.Deactivate.class,
      CertCommand.Revoke.class,
      CertRegisterCommand.class,
      CertExpiringCommand.class
    })
final class CertCommand extends GroupCommand {

  static String path(String id) {
    return "/api/v1/certificates/" + ApiClient.segment(id);
  }

  /** {@code mamori cert list}. */
  @Command(name = "list", mixinStandardHelpOptions = true, description = "List certificates.")
  static final class ListCertificates implements Callable<Integer> {
    @Mixin ClientOptions options;
    @Mixin JsonOption json;

    @Override
    public Integer call() {
      JsonNode answer = options.client().get("/api/v1/certificates");
      if (json.enabled) {
        options.printJson(answer);
        return 0;
      }
      List<List<String>> rows = new ArrayList<>();
      for (JsonNode certificate : answer.path("certificates")) {
        rows.add(
            List.of(
                certificate.path("id").asText(),
                certificate.path("status").asText(),
                joined(certificate.path("things")),
                joined(certificate.path("policies")),
                certificate.path("notAfter").asText()));
      }
      TextOutput.table(
          options.out(), List.of("ID", "STATUS", "THINGS", "POLICIES", "NOT AFTER"), rows);
      return 0;
    }
  }

  /** {@code mamori cert show ID}. */
  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      description = "Show a certificate and its PEM.")
  static final class Show extends CertificateShow {
    @Parameters(paramLabel = "ID", description = "Certificate id.")
    String id;

    @Override
    String path() {
      return CertCommand.path(id);
    }

    @Override
    List<String[]> fields(JsonNode certificate) {
      return List.of(
          TextOutput.field("id", certificate.path("id").asText()),
          TextOutput.field("status", certificate.path("status").asText()),
          TextOutput.field("subject", certificate.path("subject").asText()),
          TextOutput.field("issuer", certificate.path("issuer").asText()),
          TextOutput.field("serial", certificate.path("serialNumber").asText()),
          TextOutput.field("not before", certificate.path("notBefore").asText()),
          TextOutput.field("not after", certificate.path("notAfter").asText()),
          TextOutput.field("ca certificate", certificate.path("caCertificateId").asText()),
          TextOutput.field("revoked at", certificate.path("revokedAt").asText("-")),
          TextOutput.field("revocation", certificate.path("revocationReason").asText("-")),
          TextOutput.field("things", joined(certificate.path("things"))),
          TextOutput.field("policies", joined(certificate.path("policies"))));
    }
  }

  /**
   * Activate, deactivate and revoke in one piece: each subcommand only names the status it asks
   * for, because picocli needs one annotated type per subcommand for its name and help text.
   */
  abstract static class StatusChange implements Callable<Integer> {
    @Mixin ClientOptions options;

    @Parameters(paramLabel = "ID", description = "Certificate id.")
    String id;

    private final String status;

    StatusChange(String status) {
      this.status = status;
    }

    /** Extra fields of the request body (the revocation reason). */
    void addTo(com.fasterxml.jackson.databind.node.ObjectNode body) {}

    @Override
    public Integer call() {
      var body = options.json().createObjectNode().put("status", status);
      addTo(body);
      JsonNode certificate = options.client().put(path(id) + "/status", body);
      options
          .out()
          .println("certificate " + id + " is now " + certificate.path("status").asText(status));
      return 0;
    }
  }

  /** {@code mamori cert activate ID}. */
  @Command(
      name = "activate",
      mixinStandardHelpOptions = true,
      description = "Make a certificate ACTIVE so it can connect again (not after revoke).")
  static final class Activate extends StatusChange {
    Activate() {
      super("ACTIVE");
    }
  }

  /** {@code mamori cert deactivate ID}. */
  @Command(
      name = "deactivate",
      mixinStandardHelpOptions = true,
      description = "Make a certificate INACTIVE: its live connections close at once.")
  static final class Deactivate extends StatusChange {
    Deactivate() {
      super("INACTIVE");
    }
  }

  /** {@code mamori cert revoke ID}. */
  @Command(
      name = "revoke",
      mixinStandardHelpOptions = true,
      description = "Revoke a certificate for good: its live connections close at once.")
  static final class Revoke extends StatusChange {
    @Option(
        names = "--reason",
        paramLabel = "REASON",
        description =
            "RFC 5280 reason published in the CRL and OCSP: unspecified (default), keyCompromise,"
                + " cACompromise, affiliationChanged, superseded, cessationOfOperation,"
                + " privilegeWithdrawn, aACompromise.")
    String reason;

    Revoke() {
      super("REVOKED");
    }

    @Override
    void addTo(com.fasterxml.jackson.databind.node.ObjectNode body) {
      if (reason != null) {
        body.put("revocationReason", reason);
      }
    }
  }

  static String joined(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(v -> values.add(v.asText()));
    return values.isEmpty() ? "-" : String.join(", ", values);
  }
}
