package io.mamori.hub.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code mamori ca set-template} and {@code mamori ca set-webhook}: what auto-registration of a
 * CA's devices does (reference §2.1, §2.2): JITP with a template, JITR with an optional webhook.
 */
final class CaJustInTimeCommands {
  private CaJustInTimeCommands() {}

  /** {@code mamori ca set-template ID NAME|--none}. */
  @Command(
      name = "set-template",
      mixinStandardHelpOptions = true,
      description = {
        "Give a CA a provisioning template for JITP, or remove it (--none) so that its devices",
        "are registered PENDING_ACTIVATION (JITR). The template may declare only parameters the",
        "device certificate supplies (AWS::IoT::Certificate::CommonName, SerialNumber, Country,",
        "Organization, OrganizationalUnit, DistinguishedNameQualifier, StateName, Id) or that",
        "have a Default."
      })
  static final class SetTemplate implements Callable<Integer> {
    @Mixin ClientOptions options;

    @Parameters(index = "0", paramLabel = "ID", description = "CA certificate id.")
    String id;

    @Parameters(
        index = "1",
        arity = "0..1",
        paramLabel = "NAME",
        description = "Stored provisioning template (mamori template create).")
    Optional<String> template = Optional.empty();

    @Option(names = "--none", description = "Remove the template: auto-registration is JITR.")
    boolean none;

    @Override
    public Integer call() {
      if (template.isPresent() == none) {
        throw new CliFailure("give a template NAME or --none");
      }
      ObjectNode body = options.json().createObjectNode();
      template.ifPresentOrElse(
          name -> body.putObject("registrationConfig").put("templateName", name),
          () -> body.putNull("registrationConfig"));
      JsonNode ca =
          options.client().put(CaCertificateCommands.path(id) + "/registration-config", body);
      options
          .out()
          .println(
              "CA certificate "
                  + id
                  + (ca.has("registrationConfig")
                      ? " provisions its devices with template " + template.orElse("")
                      : " has no template: its devices are registered PENDING_ACTIVATION (JITR)"));
      return 0;
    }
  }

  /** {@code mamori ca set-webhook ID URL|--none}. */
  @Command(
      name = "set-webhook",
      mixinStandardHelpOptions = true,
      description = {
        "Set (or remove with --none) the URL told of each JITR registration event of a CA's",
        "devices. The hub POSTs the event JSON plus certificatePem; a 2xx answer",
        "{\"activate\": true} (optionally with an existing \"policyName\" and \"thingName\" to",
        "attach) activates the certificate. Errors, other answers and no answer within 5 s leave",
        "it PENDING_ACTIVATION."
      })
  static final class SetWebhook implements Callable<Integer> {
    @Mixin ClientOptions options;

    @Parameters(index = "0", paramLabel = "ID", description = "CA certificate id.")
    String id;

    @Parameters(
        index = "1",
        arity = "0..1",
        paramLabel = "URL",
        description = "http:// or https:// URL.")
    Optional<String> url = Optional.empty();

    @Option(names = "--none", description = "Remove the webhook.")
    boolean none;

    @Override
    public Integer call() {
      if (url.isPresent() == none) {
        throw new CliFailure("give a webhook URL or --none");
      }
      ObjectNode body = options.json().createObjectNode();
      url.ifPresentOrElse(u -> body.put("url", u), () -> body.putNull("url"));
      options.client().put(CaCertificateCommands.path(id) + "/jitr-webhook", body);
      options
          .out()
          .println(
              "CA certificate "
                  + id
                  + " JITR webhook "
                  + url.map(u -> "set to " + u).orElse("removed"));
      return 0;
    }
  }
}
