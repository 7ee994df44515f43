package io.mamori.hub.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
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

  /**
   * What set-template and set-webhook share: the CA's ID, exactly one of a value or {@code --none}
   * (each command declares both, their help differs), one PUT of {@code {FIELD: value or null}} to
   * a sub-resource of the CA, and one line out.
   */
  abstract static class CaSetting implements Callable<Integer> {
    @Mixin ClientOptions options;

    @Parameters(index = "0", paramLabel = "ID", description = "CA certificate id.")
    String id;

    /** The value given, empty for {@code --none}; a clear error unless exactly one was given. */
    static Optional<String> given(Optional<String> value, boolean none, String what) {
      if (value.isPresent() == none) {
        throw new CliFailure("give " + what + " or --none");
      }
      return value;
    }

    /** PUTs {@code {field: value}} ({@code null} when empty) and returns the CA's answer. */
    JsonNode put(String resource, String field, Optional<? extends JsonNode> value) {
      ObjectNode body = options.json().createObjectNode();
      body.set(field, value.isPresent() ? value.get() : NullNode.getInstance());
      return options.client().put(CaCertificateCommands.path(id) + "/" + resource, body);
    }

    void say(String outcome) {
      options.out().println("CA certificate " + id + outcome);
    }
  }

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
  static final class SetTemplate extends CaSetting {
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
      Optional<String> name = given(template, none, "a template NAME");
      JsonNode ca =
          put(
              "registration-config",
              "registrationConfig",
              name.map(n -> options.json().createObjectNode().put("templateName", n)));
      say(
          ca.has("registrationConfig")
              ? " provisions its devices with template " + template.orElse("")
              : " has no template: its devices are registered PENDING_ACTIVATION (JITR)");
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
  static final class SetWebhook extends CaSetting {
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
      put("jitr-webhook", "url", given(url, none, "a webhook URL").map(TextNode::valueOf));
      say(" JITR webhook " + url.map(u -> "set to " + u).orElse("removed"));
      return 0;
    }
  }
}
