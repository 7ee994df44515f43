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

/** {@code mamori group}: static thing groups in a hierarchy and dynamic groups by query. */
@Command(
    name = "group",
    mixinStandardHelpOptions = true,
    description =
        "Thing groups: static groups in a hierarchy whose policies apply to their members and"
            + " sub-groups' members, and dynamic groups defined by a fleet query.",
    subcommands = {
      ThingGroupCommand.Create.class,
      ThingGroupCommand.Update.class,
      ThingGroupCommand.Describe.class,
      ThingGroupCommand.ListGroups.class,
      ThingGroupCommand.Delete.class,
      ThingGroupCommand.AddThing.class,
      ThingGroupCommand.RemoveThing.class,
      ThingGroupCommand.ListThings.class,
      ThingGroupCommand.GroupsOf.class,
      ThingGroupCommand.AttachPolicy.class,
      ThingGroupCommand.DetachPolicy.class
    })
final class ThingGroupCommand extends GroupCommand {

  static String path(String name) {
    return "/api/v1/thing-groups/" + ApiClient.segment(name);
  }

  /** {@code mamori group create NAME [--parent P | --query Q] [--description D] [--attr k=v]}. */
  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description =
          "Create a static group (optionally under --parent) or, with --query, a dynamic one.")
  static final class Create implements Callable<Integer> {
    @Mixin ClientOptions options;

    @Parameters(paramLabel = "NAME", description = "Group name (1-128 of a-z A-Z 0-9 _ -).")
    String name;

    @Option(names = "--parent", paramLabel = "GROUP", description = "Parent group (static only).")
    Optional<String> parent = Optional.empty();

    @Option(
        names = "--query",
        paramLabel = "QUERY",
        description =
            "Fleet query making this a dynamic group, e.g."
                + " 'attributes.model:cam-* AND connectivity.connected:true'.")
    Optional<String> query = Optional.empty();

    @Option(names = "--description", paramLabel = "TEXT", description = "What the group is.")
    Optional<String> description = Optional.empty();

    @Option(names = "--attr", paramLabel = "KEY=VALUE", description = "An attribute; repeat.")
    Map<String, String> attributes = new LinkedHashMap<>();

    @Override
    public Integer call() {
      var body = options.json().createObjectNode().put("name", name);
      parent.ifPresent(p -> body.put("parent", p));
      query.ifPresent(q -> body.put("query", q));
      description.ifPresent(d -> body.put("description", d));
      var attrs = body.putObject("attributes");
      attributes.forEach(attrs::put);
      options.client().post("/api/v1/thing-groups", body);
      options
          .out()
          .println("created " + (query.isPresent() ? "dynamic" : "static") + " group " + name);
      return 0;
    }
  }

  /** {@code mamori group update NAME [--query Q] [--description D] [--attr k=v]}. */
  @Command(
      name = "update",
      mixinStandardHelpOptions = true,
      description =
          "Change a group's description or attributes (an empty value removes one), or the query"
              + " of a dynamic group (its members are re-evaluated).")
  static final class Update implements Callable<Integer> {
    @Mixin ClientOptions options;

    @Parameters(paramLabel = "NAME", description = "Group name.")
    String name;

    @Option(names = "--query", paramLabel = "QUERY", description = "New fleet query.")
    Optional<String> query = Optional.empty();

    @Option(names = "--description", paramLabel = "TEXT", description = "New description.")
    Optional<String> description = Optional.empty();

    @Option(names = "--attr", paramLabel = "KEY=VALUE", description = "An attribute; repeat.")
    Map<String, String> attributes = new LinkedHashMap<>();

    @Override
    public Integer call() {
      var body = options.json().createObjectNode();
      query.ifPresent(q -> body.put("query", q));
      description.ifPresent(d -> body.put("description", d));
      var attrs = body.putObject("attributes");
      attributes.forEach(attrs::put);
      JsonNode group = options.client().patch(path(name), body);
      options.out().println("updated group " + name + " (version " + group.path("version") + ")");
      return 0;
    }
  }

  /** {@code mamori group describe NAME}. */
  @Command(name = "describe", mixinStandardHelpOptions = true, description = "Show a group.")
  static final class Describe implements Callable<Integer> {
    @Mixin ClientOptions options;
    @Mixin JsonOption json;

    @Parameters(paramLabel = "NAME", description = "Group name.")
    String name;

    @Override
    public Integer call() {
      options.print(json, options.client().get(path(name)), this::printFields);
      return 0;
    }

    private void printFields(JsonNode group) {
      TextOutput.fields(
          options.out(),
          List.of(
              TextOutput.field("name", group.path("name").asText()),
              TextOutput.field("type", group.path("type").asText()),
              TextOutput.field("parent", group.path("parent").asText("-")),
              TextOutput.field("query", group.path("query").asText("-")),
              TextOutput.field("status", group.path("status").asText("-")),
              TextOutput.field("description", group.path("description").asText("-")),
              TextOutput.field("attributes", ThingCommand.attributes(group.path("attributes"))),
              TextOutput.field("sub-groups", CertCommand.joined(group.path("children"))),
              TextOutput.field("policies", CertCommand.joined(group.path("policies"))),
              TextOutput.field("version", group.path("version").asText()),
              TextOutput.field("created", group.path("createdAt").asText())));
    }
  }

  /** {@code mamori group list}. */
  @Command(name = "list", mixinStandardHelpOptions = true, description = "List groups.")
  static final class ListGroups implements Callable<Integer> {
    @Mixin ClientOptions options;
    @Mixin JsonOption json;

    @Override
    public Integer call() {
      options.print(json, options.client().get("/api/v1/thing-groups"), this::printTable);
      return 0;
    }

    private void printTable(JsonNode answer) {
      List<List<String>> rows = new ArrayList<>();
      for (JsonNode group : answer.path("thingGroups")) {
        rows.add(
            List.of(
                group.path("name").asText(),
                group.path("type").asText(),
                group.path("parent").asText("-"),
                group.path("query").asText("-")));
      }
      TextOutput.table(options.out(), List.of("NAME", "TYPE", "PARENT", "QUERY"), rows);
    }
  }

  /** {@code mamori group delete NAME}. */
  @Command(
      name = "delete",
      mixinStandardHelpOptions = true,
      description = "Delete a group; refused while it has sub-groups.")
  static final class Delete implements Callable<Integer> {
    @Mixin ClientOptions options;

    @Parameters(paramLabel = "NAME", description = "Group name.")
    String name;

    @Override
    public Integer call() {
      options.client().delete(path(name));
      options.out().println("deleted group " + name);
      return 0;
    }
  }

  /**
   * Adding or removing one member of a group (a thing, a policy): PUT or DELETE on {@code
   * GROUP/MEMBERS/NAME}, then one line saying what changed. Subclasses declare the member
   * parameter, because its label and help differ.
   */
  abstract static class MembershipChange implements Callable<Integer> {
    @Mixin ClientOptions options;

    @Parameters(index = "0", paramLabel = "GROUP", description = "Group name.")
    String group;

    private final String members;
    private final String noun;
    private final String verb;
    private final boolean add;

    /**
     * @param members the API collection under the group, e.g. {@code things}
     * @param noun what one member is called in the output, e.g. {@code thing}
     * @param verb the past tense printed, e.g. {@code added}
     * @param add PUT the member (and print "to"), else DELETE it (and print "from")
     */
    MembershipChange(String members, String noun, String verb, boolean add) {
      this.members = members;
      this.noun = noun;
      this.verb = verb;
      this.add = add;
    }

    abstract String member();

    @Override
    public Integer call() {
      String memberPath = path(group) + "/" + members + "/" + ApiClient.segment(member());
      if (add) {
        options.client().put(memberPath, options.json().createObjectNode());
      } else {
        options.client().delete(memberPath);
      }
      options
          .out()
          .println(
              verb + " " + noun + " " + member() + (add ? " to" : " from") + " group " + group);
      return 0;
    }
  }

  /** A thing's membership of a static group. */
  abstract static class ThingMembership extends MembershipChange {
    @Parameters(index = "1", paramLabel = "THING", description = "Thing name.")
    String thing;

    ThingMembership(boolean add) {
      super("things", "thing", add ? "added" : "removed", add);
    }

    @Override
    String member() {
      return thing;
    }
  }

  /** {@code mamori group add-thing GROUP THING}. */
  @Command(
      name = "add-thing",
      mixinStandardHelpOptions = true,
      description = "Add a thing to a static group.")
  static final class AddThing extends ThingMembership {
    AddThing() {
      super(true);
    }
  }

  /** {@code mamori group remove-thing GROUP THING}. */
  @Command(
      name = "remove-thing",
      mixinStandardHelpOptions = true,
      description = "Remove a thing from a static group.")
  static final class RemoveThing extends ThingMembership {
    RemoveThing() {
      super(false);
    }
  }

  /** {@code mamori group list-things GROUP [--recursive]}. */
  @Command(
      name = "list-things",
      mixinStandardHelpOptions = true,
      description = "List the things in a group (with --recursive, also those of its sub-groups).")
  static final class ListThings implements Callable<Integer> {
    @Mixin ClientOptions options;
    @Mixin JsonOption json;

    @Parameters(paramLabel = "GROUP", description = "Group name.")
    String group;

    @Option(names = "--recursive", description = "Include the members of all sub-groups.")
    boolean recursive;

    @Override
    public Integer call() {
      JsonNode answer = options.client().get(path(group) + (recursive ? "/all-things" : "/things"));
      options.print(json, answer, a -> TextOutput.lines(options.out(), a.path("things")));
      return 0;
    }
  }

  /** {@code mamori group groups-of THING}. */
  @Command(
      name = "groups-of",
      mixinStandardHelpOptions = true,
      description =
          "List the groups a thing is in: static groups with their ancestors, and matching dynamic"
              + " groups.")
  static final class GroupsOf implements Callable<Integer> {
    @Mixin ClientOptions options;
    @Mixin JsonOption json;

    @Parameters(paramLabel = "THING", description = "Thing name.")
    String thing;

    @Override
    public Integer call() {
      JsonNode answer = options.client().get(ThingCommand.path(thing) + "/thing-groups");
      options.print(json, answer, a -> TextOutput.lines(options.out(), a.path("thingGroups")));
      return 0;
    }
  }

  /** A policy attached to a group. */
  abstract static class PolicyAttachment extends MembershipChange {
    @Parameters(index = "1", paramLabel = "POLICY", description = "Policy name.")
    String policy;

    PolicyAttachment(boolean attach) {
      super("policies", "policy", attach ? "attached" : "detached", attach);
    }

    @Override
    String member() {
      return policy;
    }
  }

  /** {@code mamori group attach-policy GROUP POLICY}. */
  @Command(
      name = "attach-policy",
      mixinStandardHelpOptions = true,
      description =
          "Attach a policy to a static group: its members and its sub-groups' members get it.")
  static final class AttachPolicy extends PolicyAttachment {
    AttachPolicy() {
      super(true);
    }
  }

  /** {@code mamori group detach-policy GROUP POLICY}. */
  @Command(
      name = "detach-policy",
      mixinStandardHelpOptions = true,
      description = "Detach a policy from a group; live connections lose it at once.")
  static final class DetachPolicy extends PolicyAttachment {
    DetachPolicy() {
      super(false);
    }
  }
}
