package io.mamori.hub.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mamori thing}: the devices the registry knows. */
@Command(
    name = "thing",
    mixinStandardHelpOptions = true,
    description = "Create, list, show and delete things (devices).",
    subcommands = {
      ThingCommand.Create.class,
      ThingCommand.ListThings.class,
      ThingCommand.Show.class,
      ThingCommand.Delete.class
    })
final class ThingCommand extends GroupCommand {

  static String path(String name) {
    return "/api/v1/things/" + ApiClient.segment(name);
  }

  /** {@code mamori thing create NAME [--attr k=v ...] [--type T]}. */
  @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a thing.")
  static final class Create implements Callable<Integer> {
    @Mixin ClientOptions options;

    @Parameters(paramLabel = "NAME", description = "Thing name (1-128 of a-z A-Z 0-9 : _ -).")
    String name;

    @Option(
        names = "--attr",
        paramLabel = "KEY=VALUE",
        description = "An attribute; repeat for more.")
    Map<String, String> attributes = new LinkedHashMap<>();

    @Option(names = "--type", paramLabel = "TYPE", description = "Thing type name.")
    Optional<String> type = Optional.empty();

    @Override
    public Integer call() {
      var body = options.json().createObjectNode().put("name", name);
      var attrs = body.putObject("attributes");
      attributes.forEach(attrs::put);
      type.ifPresent(t -> body.put("thingType", t));
      options.client().post("/api/v1/things", body);
      options.out().println("created thing " + name);
      return 0;
    }
  }

  /** {@code mamori thing list}. */
  @Command(name = "list", mixinStandardHelpOptions = true, description = "List things.")
  static final class ListThings implements Callable<Integer> {
    @Mixin ClientOptions options;
    @Mixin JsonOption json;

    @Override
    public Integer call() {
      JsonNode answer = options.client().get("/api/v1/things");
      if (json.enabled) {
        options.printJson(answer);
        return 0;
      }
      List<List<String>> rows = new ArrayList<>();
      for (JsonNode thing : answer.path("things")) {
        rows.add(
            List.of(
                thing.path("name").asText(),
                thing.path("thingType").asText("-"),
                attributes(thing.path("attributes")),
                thing.path("version").asText()));
      }
      TextOutput.table(options.out(), List.of("NAME", "TYPE", "ATTRIBUTES", "VERSION"), rows);
      return 0;
    }
  }

  /** {@code mamori thing show NAME}. */
  @Command(name = "show", mixinStandardHelpOptions = true, description = "Show a thing.")
  static final class Show implements Callable<Integer> {
    @Mixin ClientOptions options;
    @Mixin JsonOption json;

    @Parameters(paramLabel = "NAME", description = "Thing name.")
    String name;

    @Override
    public Integer call() {
      JsonNode thing = options.client().get(path(name));
      if (json.enabled) {
        options.printJson(thing);
        return 0;
      }
      TextOutput.fields(
          options.out(),
          List.of(
              TextOutput.field("name", thing.path("name").asText()),
              TextOutput.field("type", thing.path("thingType").asText("-")),
              TextOutput.field("attributes", attributes(thing.path("attributes"))),
              TextOutput.field("certificates", CertCommand.joined(thing.path("certificates"))),
              TextOutput.field("version", thing.path("version").asText()),
              TextOutput.field("created", thing.path("createdAt").asText()),
              TextOutput.field("updated", thing.path("updatedAt").asText())));
      return 0;
    }
  }

  /** {@code mamori thing delete NAME}. */
  @Command(
      name = "delete",
      mixinStandardHelpOptions = true,
      description = "Delete a thing; its certificates stay registered but are detached.")
  static final class Delete implements Callable<Integer> {
    @Mixin ClientOptions options;

    @Parameters(paramLabel = "NAME", description = "Thing name.")
    String name;

    @Override
    public Integer call() {
      options.client().delete(path(name));
      options.out().println("deleted thing " + name);
      return 0;
    }
  }

  /** {@code k=v, k2=v2} in key order, or {@code -} when there are none. */
  static String attributes(JsonNode attributes) {
    List<String> pairs = new ArrayList<>();
    attributes.properties().forEach(e -> pairs.add(e.getKey() + "=" + e.getValue().asText()));
    return pairs.isEmpty() ? "-" : String.join(", ", pairs);
  }
}
