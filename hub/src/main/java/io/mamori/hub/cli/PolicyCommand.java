package io.mamori.hub.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mamori policy}: AWS IoT policy documents and their attachment to certificates. */
@Command(
    name = "policy",
    mixinStandardHelpOptions = true,
    description = "Create, list, show, delete, attach, detach and test AWS IoT policies.",
    subcommands = {
      PolicyCommand.Create.class,
      PolicyCommand.ListPolicies.class,
      PolicyCommand.Show.class,
      PolicyCommand.Delete.class,
      PolicyCommand.Attach.class,
      PolicyCommand.Detach.class,
      PolicyTestCommand.class
    })
final class PolicyCommand extends GroupCommand {

  static String path(String name) {
    return "/api/v1/policies/" + ApiClient.segment(name);
  }

  /** {@code mamori policy create NAME --document FILE}. */
  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description =
          "Create a policy from an AWS IoT policy JSON file; refused if it does not parse.")
  static final class Create implements Callable<Integer> {
    @Mixin ClientOptions options;

    @Parameters(paramLabel = "NAME", description = "Policy name.")
    String name;

    @Option(
        names = "--document",
        required = true,
        paramLabel = "FILE",
        description = "The policy document (JSON).")
    Path document;

    @Override
    public Integer call() {
      String text;
      try {
        text = Files.readString(document, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw CliFailure.unreadable("the policy document", document, e);
      }
      var body = options.json().createObjectNode().put("name", name).put("document", text);
      JsonNode policy = options.client().post("/api/v1/policies", body);
      options
          .out()
          .println(
              "created policy "
                  + name
                  + " (version "
                  + policy.path("defaultVersionId").asText()
                  + ")");
      return 0;
    }
  }

  /** {@code mamori policy list}. */
  @Command(name = "list", mixinStandardHelpOptions = true, description = "List policies.")
  static final class ListPolicies implements Callable<Integer> {
    @Mixin ClientOptions options;
    @Mixin JsonOption json;

    @Override
    public Integer call() {
      JsonNode answer = options.client().get("/api/v1/policies");
      if (json.enabled) {
        options.printJson(answer);
        return 0;
      }
      List<List<String>> rows = new ArrayList<>();
      for (JsonNode policy : answer.path("policies")) {
        rows.add(
            List.of(
                policy.path("name").asText(),
                policy.path("defaultVersionId").asText(),
                policy.path("updatedAt").asText()));
      }
      TextOutput.table(options.out(), List.of("NAME", "VERSION", "UPDATED"), rows);
      return 0;
    }
  }

  /** {@code mamori policy show NAME}. */
  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      description = "Show a policy, the certificates it is attached to, and its document.")
  static final class Show implements Callable<Integer> {
    @Mixin ClientOptions options;
    @Mixin JsonOption json;

    @Parameters(paramLabel = "NAME", description = "Policy name.")
    String name;

    @Override
    public Integer call() {
      JsonNode policy = options.client().get(path(name));
      if (json.enabled) {
        options.printJson(policy);
        return 0;
      }
      List<String> targets = new ArrayList<>();
      policy.path("targets").forEach(t -> targets.add(t.asText()));
      TextOutput.fields(
          options.out(),
          List.of(
              TextOutput.field("name", policy.path("name").asText()),
              TextOutput.field("version", policy.path("defaultVersionId").asText()),
              TextOutput.field(
                  "certificates", targets.isEmpty() ? "-" : String.join(", ", targets)),
              TextOutput.field("created", policy.path("createdAt").asText()),
              TextOutput.field("updated", policy.path("updatedAt").asText())));
      options.out().println();
      options.out().println(policy.path("document").asText().stripTrailing());
      return 0;
    }
  }

  /** {@code mamori policy delete NAME}. */
  @Command(
      name = "delete",
      mixinStandardHelpOptions = true,
      description = "Delete a policy; refused while it is attached to a certificate.")
  static final class Delete implements Callable<Integer> {
    @Mixin ClientOptions options;

    @Parameters(paramLabel = "NAME", description = "Policy name.")
    String name;

    @Override
    public Integer call() {
      options.client().delete(path(name));
      options.out().println("deleted policy " + name);
      return 0;
    }
  }

  /** What attach and detach share: a policy name and the certificate it concerns. */
  abstract static class AttachmentChange implements Callable<Integer> {
    @Mixin ClientOptions options;

    @Parameters(paramLabel = "POLICY", description = "Policy name.")
    String name;

    @Option(names = "--cert", required = true, paramLabel = "ID", description = "Certificate id.")
    String certificateId;

    /** Sends the change and returns the line to print. */
    abstract String apply(ApiClient client);

    @Override
    public Integer call() {
      options.out().println(apply(options.client()));
      return 0;
    }
  }

  /** {@code mamori policy attach P --cert ID}. */
  @Command(
      name = "attach",
      mixinStandardHelpOptions = true,
      description = "Attach a policy to a certificate.")
  static final class Attach extends AttachmentChange {
    @Override
    String apply(ApiClient client) {
      var body = options.json().createObjectNode().put("certificateId", certificateId);
      client.post(path(name) + "/attachments", body);
      return "attached policy " + name + " to certificate " + certificateId;
    }
  }

  /** {@code mamori policy detach P --cert ID}. */
  @Command(
      name = "detach",
      mixinStandardHelpOptions = true,
      description = "Detach a policy from a certificate.")
  static final class Detach extends AttachmentChange {
    @Override
    String apply(ApiClient client) {
      client.delete(path(name) + "/attachments/" + ApiClient.segment(certificateId));
      return "detached policy " + name + " from certificate " + certificateId;
    }
  }
}
