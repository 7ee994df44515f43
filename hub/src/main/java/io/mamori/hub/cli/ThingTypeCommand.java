package io.mamori.hub.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mamori thing-type}: the types things may have (reference §9.1). */
@Command(
    name = "thing-type",
    mixinStandardHelpOptions = true,
    description = "Create, list, describe, deprecate and delete thing types.",
    subcommands = {
      ThingTypeCommand.Create.class,
      ThingTypeCommand.ListTypes.class,
      ThingTypeCommand.Describe.class,
      ThingTypeCommand.Deprecate.class,
      ThingTypeCommand.Delete.class
    })
final class ThingTypeCommand extends GroupCommand {

  static String path(String name) {
    return "/api/v1/thing-types/" + ApiClient.segment(name);
  }

  /** {@code mamori thing-type create NAME [--description D] [--searchable-attr A ...]}. */
  @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a thing type.")
  static final class Create implements Callable<Integer> {
    @Mixin ClientOptions options;

    @Parameters(paramLabel = "NAME", description = "Type name (1-128 of a-z A-Z 0-9 : _ -).")
    String name;

    @Option(names = "--description", paramLabel = "TEXT", description = "What the type is.")
    Optional<String> description = Optional.empty();

    @Option(
        names = "--searchable-attr",
        paramLabel = "NAME",
        description = "A searchable attribute name; up to 3.")
    List<String> searchable = new ArrayList<>();

    @Override
    public Integer call() {
      var body = options.json().createObjectNode().put("name", name);
      description.ifPresent(d -> body.put("description", d));
      var attributes = body.putArray("searchableAttributes");
      searchable.forEach(attributes::add);
      options.client().post("/api/v1/thing-types", body);
      options.out().println("created thing type " + name);
      return 0;
    }
  }

  /** {@code mamori thing-type list}. */
  @Command(name = "list", mixinStandardHelpOptions = true, description = "List thing types.")
  static final class ListTypes implements Callable<Integer> {
    @Mixin ClientOptions options;
    @Mixin JsonOption json;

    @Override
    public Integer call() {
      JsonNode answer = options.client().get("/api/v1/thing-types");
      if (json.enabled) {
        options.printJson(answer);
        return 0;
      }
      List<List<String>> rows = new ArrayList<>();
      for (JsonNode type : answer.path("thingTypes")) {
        rows.add(
            List.of(
                type.path("name").asText(),
                type.path("deprecated").asBoolean() ? "DEPRECATED" : "ACTIVE",
                CertCommand.joined(type.path("searchableAttributes")),
                type.path("description").asText("-")));
      }
      TextOutput.table(options.out(), List.of("NAME", "STATUS", "SEARCHABLE", "DESCRIPTION"), rows);
      return 0;
    }
  }

  /** {@code mamori thing-type describe NAME}. */
  @Command(name = "describe", mixinStandardHelpOptions = true, description = "Show a thing type.")
  static final class Describe implements Callable<Integer> {
    @Mixin ClientOptions options;
    @Mixin JsonOption json;

    @Parameters(paramLabel = "NAME", description = "Type name.")
    String name;

    @Override
    public Integer call() {
      JsonNode type = options.client().get(path(name));
      if (json.enabled) {
        options.printJson(type);
        return 0;
      }
      TextOutput.fields(
          options.out(),
          List.of(
              TextOutput.field("name", type.path("name").asText()),
              TextOutput.field("description", type.path("description").asText("-")),
              TextOutput.field("searchable", CertCommand.joined(type.path("searchableAttributes"))),
              TextOutput.field("deprecated", type.path("deprecatedAt").asText("no")),
              TextOutput.field("created", type.path("createdAt").asText())));
      return 0;
    }
  }

  /** {@code mamori thing-type deprecate NAME [--undo]}. */
  @Command(
      name = "deprecate",
      mixinStandardHelpOptions = true,
      description = "Deprecate a thing type (no new things may use it); --undo reverses it.")
  static final class Deprecate implements Callable<Integer> {
    @Mixin ClientOptions options;

    @Parameters(paramLabel = "NAME", description = "Type name.")
    String name;

    @Option(names = "--undo", description = "Undeprecate the type.")
    boolean undo;

    @Override
    public Integer call() {
      options
          .client()
          .post(path(name) + "/deprecate", options.json().createObjectNode().put("undo", undo));
      options.out().println((undo ? "undeprecated" : "deprecated") + " thing type " + name);
      return 0;
    }
  }

  /** {@code mamori thing-type delete NAME}. */
  @Command(
      name = "delete",
      mixinStandardHelpOptions = true,
      description = "Delete a deprecated thing type that no thing uses.")
  static final class Delete implements Callable<Integer> {
    @Mixin ClientOptions options;

    @Parameters(paramLabel = "NAME", description = "Type name.")
    String name;

    @Override
    public Integer call() {
      options.client().delete(path(name));
      options.out().println("deleted thing type " + name);
      return 0;
    }
  }
}
