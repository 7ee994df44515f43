package io.mamori.hub.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mamori shadow}: read and change device shadows (AWS Device Shadow documents). */
@Command(
    name = "shadow",
    mixinStandardHelpOptions = true,
    description = "Get, update, delete and list device shadows (classic, or named with --name).",
    subcommands = {
      ShadowCommand.Get.class,
      ShadowCommand.Update.class,
      ShadowCommand.Delete.class,
      ShadowCommand.ListShadows.class
    })
final class ShadowCommand extends GroupCommand {

  /** The thing and, optionally, the named shadow a command works on. */
  static final class Target {
    @Parameters(paramLabel = "THING", description = "Thing name.")
    String thing;

    @Option(
        names = "--name",
        paramLabel = "SHADOW",
        description = "Named shadow; without it the thing's classic shadow.")
    Optional<String> name = Optional.empty();

    String path() {
      String thingPath = ThingCommand.path(thing);
      return name.map(n -> thingPath + "/shadows/" + ApiClient.segment(n))
          .orElse(thingPath + "/shadow");
    }

    String label() {
      return name.map(n -> "shadow " + n + " of " + thing).orElse("classic shadow of " + thing);
    }
  }

  /** {@code mamori shadow get THING [--name N]}. */
  @Command(
      name = "get",
      mixinStandardHelpOptions = true,
      description =
          "Print the shadow document: state (desired, reported, delta), metadata, version.")
  static final class Get implements Callable<Integer> {
    @Mixin ClientOptions options;
    @Mixin Target target;

    @Override
    public Integer call() {
      options.printJson(options.client().get(target.path()));
      return 0;
    }
  }

  /** Exactly one source of the new state. */
  static final class State {
    @Option(
        names = "--desired",
        paramLabel = "JSON",
        description = "Desired state to merge, e.g. '{\"led\":\"on\"}'; null deletes a key.")
    Optional<String> desired = Optional.empty();

    @Option(
        names = "--reported",
        paramLabel = "JSON",
        description = "Reported state to merge (as a device would report it).")
    Optional<String> reported = Optional.empty();

    @Option(
        names = "--document",
        paramLabel = "FILE",
        description = "A whole AWS update document: {\"state\": {...}, \"version\": N}.")
    Optional<Path> document = Optional.empty();
  }

  /** {@code mamori shadow update THING [--name N] --desired JSON | --document FILE}. */
  @Command(
      name = "update",
      mixinStandardHelpOptions = true,
      description =
          "Merge a state into the shadow; devices get update/accepted, update/delta and"
              + " update/documents. Prints the accepted echo.")
  static final class Update implements Callable<Integer> {
    @Mixin ClientOptions options;
    @Mixin Target target;

    @ArgGroup(exclusive = false, multiplicity = "1")
    State state;

    @Option(
        names = "--expected-version",
        paramLabel = "N",
        description = "Only update if the shadow is at this version (else: Version conflict).")
    Optional<Long> version = Optional.empty();

    @Override
    public Integer call() {
      ObjectNode body = document();
      version.ifPresent(v -> body.put("version", v));
      options.printJson(options.client().post(target.path(), body));
      return 0;
    }

    private ObjectNode document() {
      if (state.document.isPresent()) {
        if (state.desired.isPresent() || state.reported.isPresent()) {
          throw new CliFailure("--document cannot be combined with --desired or --reported");
        }
        Path file = state.document.get();
        String text;
        try {
          text = Files.readString(file);
        } catch (IOException e) {
          throw CliFailure.unreadable("the shadow document", file, e);
        }
        if (!(parse(text, file.toString()) instanceof ObjectNode object)) {
          throw new CliFailure(file + " must hold a JSON object like {\"state\": {...}}");
        }
        return object;
      }
      ObjectNode body = options.json().createObjectNode();
      ObjectNode section = body.putObject("state");
      state.desired.ifPresent(d -> section.set("desired", parse(d, "--desired")));
      state.reported.ifPresent(r -> section.set("reported", parse(r, "--reported")));
      return body;
    }

    private JsonNode parse(String text, String what) {
      try {
        return options.json().readTree(text);
      } catch (JsonProcessingException e) {
        throw new CliFailure(what + " is not valid JSON: " + e.getOriginalMessage());
      }
    }
  }

  /** {@code mamori shadow delete THING [--name N]}. */
  @Command(
      name = "delete",
      mixinStandardHelpOptions = true,
      description = "Delete the shadow (its version continues if it is created again).")
  static final class Delete implements Callable<Integer> {
    @Mixin ClientOptions options;
    @Mixin Target target;

    @Override
    public Integer call() {
      JsonNode answer = options.client().send("DELETE", target.path(), Optional.empty());
      options
          .out()
          .println("deleted " + target.label() + " at version " + answer.path("version").asText());
      return 0;
    }
  }

  /** {@code mamori shadow list THING}. */
  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "List the thing's named shadows, one per line.")
  static final class ListShadows implements Callable<Integer> {
    @Mixin ClientOptions options;
    @Mixin JsonOption json;

    @Parameters(paramLabel = "THING", description = "Thing name.")
    String thing;

    @Override
    public Integer call() {
      JsonNode answer = options.client().get(ThingCommand.path(thing) + "/shadows");
      options.print(json, answer, a -> TextOutput.lines(options.out(), a.path("results")));
      return 0;
    }
  }
}
