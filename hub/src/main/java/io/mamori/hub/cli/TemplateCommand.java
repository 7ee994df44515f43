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

/** {@code mamori template}: fleet-provisioning templates (reference §1.4). */
@Command(
    name = "template",
    mixinStandardHelpOptions = true,
    description = "Create, list, show, update, enable, disable and delete provisioning templates.",
    subcommands = {
      TemplateCommand.Create.class,
      TemplateCommand.ListTemplates.class,
      TemplateCommand.Show.class,
      TemplateCommand.Update.class,
      TemplateCommand.Enable.class,
      TemplateCommand.Disable.class,
      TemplateCommand.Delete.class
    })
final class TemplateCommand extends GroupCommand {
  static final String BASE = "/api/v1/provisioning-templates";

  static String path(String name) {
    return BASE + "/" + ApiClient.segment(name);
  }

  static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw CliFailure.unreadable("the template document", file, e);
    }
  }

  /** {@code mamori template create NAME --document FILE [--hook URL] [--enabled]}. */
  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description = "Create a template from an AWS provisioning template JSON file.")
  static final class Create implements Callable<Integer> {
    @Mixin ClientOptions options;

    @Parameters(paramLabel = "NAME", description = "Template name (1-36 of a-z A-Z 0-9 _ -).")
    String name;

    @Option(
        names = "--document",
        required = true,
        paramLabel = "FILE",
        description = "The template (JSON).")
    Path document;

    @Option(names = "--hook", paramLabel = "URL", description = "Pre-provisioning hook URL.")
    Optional<String> hook = Optional.empty();

    @Option(names = "--description", paramLabel = "TEXT", description = "What it is for.")
    Optional<String> description = Optional.empty();

    @Option(names = "--enabled", description = "Devices may use it at once (default: disabled).")
    boolean enabled;

    @Override
    public Integer call() {
      ObjectNode body =
          options
              .json()
              .createObjectNode()
              .put("name", name)
              .put("body", read(document))
              .put("enabled", enabled);
      hook.ifPresent(h -> body.put("preProvisioningHook", h));
      description.ifPresent(d -> body.put("description", d));
      options.client().post(BASE, body);
      options.out().println("created template " + name + (enabled ? " (enabled)" : " (disabled)"));
      return 0;
    }
  }

  /** {@code mamori template list}. */
  @Command(name = "list", mixinStandardHelpOptions = true, description = "List templates.")
  static final class ListTemplates implements Callable<Integer> {
    @Mixin ClientOptions options;
    @Mixin JsonOption json;

    @Override
    public Integer call() {
      JsonNode answer = options.client().get(BASE);
      if (json.enabled) {
        options.printJson(answer);
        return 0;
      }
      List<List<String>> rows = new ArrayList<>();
      for (JsonNode t : answer.path("templates")) {
        rows.add(
            List.of(
                t.path("name").asText(),
                t.path("enabled").asBoolean() ? "ENABLED" : "DISABLED",
                t.path("version").asText(),
                t.path("preProvisioningHook").asText("-")));
      }
      TextOutput.table(options.out(), List.of("NAME", "STATUS", "VERSION", "HOOK"), rows);
      return 0;
    }
  }

  /** {@code mamori template show NAME}. */
  @Command(name = "show", mixinStandardHelpOptions = true, description = "Show a template.")
  static final class Show implements Callable<Integer> {
    @Mixin ClientOptions options;
    @Mixin JsonOption json;

    @Parameters(paramLabel = "NAME", description = "Template name.")
    String name;

    @Override
    public Integer call() {
      JsonNode t = options.client().get(path(name));
      if (json.enabled) {
        options.printJson(t);
        return 0;
      }
      var out = options.out();
      out.println("name:        " + t.path("name").asText());
      out.println("status:      " + (t.path("enabled").asBoolean() ? "ENABLED" : "DISABLED"));
      out.println("version:     " + t.path("version").asText());
      out.println("hook:        " + t.path("preProvisioningHook").asText("-"));
      out.println("description: " + t.path("description").asText(""));
      out.println(t.path("body").asText());
      return 0;
    }
  }

  /** {@code mamori template update NAME [--document FILE] [--hook URL] [--description D]}. */
  @Command(
      name = "update",
      mixinStandardHelpOptions = true,
      description = "Replace a template's document, hook or description.")
  static final class Update implements Callable<Integer> {
    @Mixin ClientOptions options;

    @Parameters(paramLabel = "NAME", description = "Template name.")
    String name;

    @Option(names = "--document", paramLabel = "FILE", description = "New template (JSON).")
    Optional<Path> document = Optional.empty();

    @Option(
        names = "--hook",
        paramLabel = "URL",
        description = "New pre-provisioning hook URL; \"\" removes it.")
    Optional<String> hook = Optional.empty();

    @Option(names = "--description", paramLabel = "TEXT", description = "New description.")
    Optional<String> description = Optional.empty();

    @Override
    public Integer call() {
      ObjectNode body = options.json().createObjectNode();
      document.ifPresent(d -> body.put("body", read(d)));
      hook.ifPresent(h -> body.put("preProvisioningHook", h));
      description.ifPresent(d -> body.put("description", d));
      if (body.isEmpty()) {
        throw new CliFailure("nothing to update: give --document, --hook or --description");
      }
      JsonNode t = options.client().put(path(name), body);
      options.out().println("updated template " + name + " (version " + t.path("version") + ")");
      return 0;
    }
  }

  /** {@code mamori template enable NAME}. */
  @Command(name = "enable", mixinStandardHelpOptions = true, description = "Let devices use it.")
  static final class Enable implements Callable<Integer> {
    @Mixin ClientOptions options;

    @Parameters(paramLabel = "NAME", description = "Template name.")
    String name;

    @Override
    public Integer call() {
      options.client().put(path(name), options.json().createObjectNode().put("enabled", true));
      options.out().println("enabled template " + name);
      return 0;
    }
  }

  /** {@code mamori template disable NAME}. */
  @Command(
      name = "disable",
      mixinStandardHelpOptions = true,
      description = "Refuse provisioning with it until enabled again.")
  static final class Disable implements Callable<Integer> {
    @Mixin ClientOptions options;

    @Parameters(paramLabel = "NAME", description = "Template name.")
    String name;

    @Override
    public Integer call() {
      options.client().put(path(name), options.json().createObjectNode().put("enabled", false));
      options.out().println("disabled template " + name);
      return 0;
    }
  }

  /** {@code mamori template delete NAME}. */
  @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a template.")
  static final class Delete implements Callable<Integer> {
    @Mixin ClientOptions options;

    @Parameters(paramLabel = "NAME", description = "Template name.")
    String name;

    @Override
    public Integer call() {
      options.client().delete(path(name));
      options.out().println("deleted template " + name);
      return 0;
    }
  }
}
