package io.mamori.hub.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mamori defender profile|alarms|alarm}: Detect's security profiles and alarms. */
final class DetectCommands {
  private static final String PROFILES = "/api/v1/defender/security-profiles";
  private static final String ALARMS = "/api/v1/defender/alarms";

  private DetectCommands() {}

  /** {@code mamori defender profile ...}. */
  @Command(
      name = "profile",
      mixinStandardHelpOptions = true,
      description = "Security profiles: behaviours that define normal, attached to thing groups.",
      subcommands = {
        Create.class,
        ListProfiles.class,
        Show.class,
        Update.class,
        Delete.class,
        Attach.class,
        Detach.class
      })
  static final class Profile extends GroupCommand {}

  static ObjectNode readDocument(ClientOptions options, Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw CliFailure.unreadable("the profile document", file, e);
    }
    JsonNode node;
    try {
      node = options.json().readTree(text);
    } catch (IOException e) {
      throw new CliFailure("the profile document " + file + " is not valid JSON");
    }
    if (node == null || !node.isObject()) {
      throw new CliFailure("the profile document " + file + " must be a JSON object");
    }
    return (ObjectNode) node;
  }

  static String profilePath(String name) {
    return PROFILES + "/" + ApiClient.segment(name);
  }

  /**
   * What every profile subcommand but {@code list} starts with: the client options and the
   * profile's NAME (the first parameter).
   */
  abstract static class NamedProfile implements Callable<Integer> {
    @Mixin ClientOptions options;

    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    String path() {
      return profilePath(name);
    }
  }

  /** A profile subcommand that also reads {@code --document FILE} (create, update). */
  abstract static class ProfileDocument extends NamedProfile {
    @Option(names = "--document", required = true, paramLabel = "FILE")
    Path document;

    ObjectNode document() {
      return readDocument(options, document);
    }
  }

  /** {@code mamori defender profile create NAME --document FILE}. */
  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description = {
        "Create a security profile from a JSON document: description, behaviors (AWS shape:",
        "name, metric, criteria with comparisonOperator and value, statisticalThreshold or",
        "mlDetectionConfig, durationSeconds, consecutiveDatapointsToAlarm/ToClear),",
        "mitigations (QUARANTINE, DEACTIVATE_CERTIFICATE, REVOKE_CERTIFICATE, START_JOB,",
        "REPLACE_POLICY_VERSION) and mitigationParameters."
      })
  static final class Create extends ProfileDocument {
    @Override
    public Integer call() {
      options.client().post(PROFILES, document().put("name", name));
      options.out().println(name);
      options.out().flush();
      return 0;
    }
  }

  /** {@code mamori defender profile update NAME --document FILE}. */
  @Command(
      name = "update",
      mixinStandardHelpOptions = true,
      description = "Replace a profile's behaviours and mitigations (its targets stay).")
  static final class Update extends ProfileDocument {
    @Override
    public Integer call() {
      options.client().put(path(), document());
      return 0;
    }
  }

  /** {@code mamori defender profile list}. */
  @Command(name = "list", mixinStandardHelpOptions = true, description = "List security profiles.")
  static final class ListProfiles implements Callable<Integer> {
    @Mixin ClientOptions options;
    @Mixin JsonOption json;

    @Override
    public Integer call() {
      JsonNode answer = options.client().get(PROFILES);
      if (json.enabled) {
        options.printJson(answer);
        return 0;
      }
      for (JsonNode p : answer.path("securityProfiles")) {
        options
            .out()
            .printf(
                "%s behaviors=%d targets=%s mitigations=%s%n",
                p.path("name").asText(),
                p.path("behaviors").size(),
                p.path("targets"),
                p.path("mitigations"));
      }
      options.out().flush();
      return 0;
    }
  }

  /** {@code mamori defender profile show NAME}. */
  @Command(name = "show", mixinStandardHelpOptions = true, description = "Show a profile (JSON).")
  static final class Show extends NamedProfile {
    @Override
    public Integer call() {
      options.printJson(options.client().get(path()));
      return 0;
    }
  }

  /** {@code mamori defender profile delete NAME}. */
  @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a profile.")
  static final class Delete extends NamedProfile {
    @Override
    public Integer call() {
      options.client().delete(path());
      return 0;
    }
  }

  /** Exactly one of {@code --group NAME} or {@code --all-things}. */
  static final class Target {
    @Option(names = "--group", paramLabel = "GROUP", description = "A thing group (nested too).")
    Optional<String> group;

    @Option(names = "--all-things", description = "Every registered thing.")
    boolean allThings;

    ObjectNode body(ClientOptions options) {
      ObjectNode body = options.json().createObjectNode();
      if (allThings) {
        body.put("allThings", true);
      } else {
        body.put("group", group.orElseThrow());
      }
      return body;
    }
  }

  /**
   * Attach and detach: the same target body sent to the profile's {@code /targets}, POST to add it,
   * DELETE to remove it.
   */
  abstract static class TargetChange extends NamedProfile {
    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    /** The HTTP method: POST or DELETE. */
    abstract String method();

    @Override
    public Integer call() {
      options.client().send(method(), path() + "/targets", Optional.of(target.body(options)));
      return 0;
    }
  }

  /** {@code mamori defender profile attach NAME --group G | --all-things}. */
  @Command(
      name = "attach",
      mixinStandardHelpOptions = true,
      description = "Watch a thing group's things (or all things) with the profile.")
  static final class Attach extends TargetChange {
    @Override
    String method() {
      return "POST";
    }
  }

  /** {@code mamori defender profile detach NAME --group G | --all-things}. */
  @Command(
      name = "detach",
      mixinStandardHelpOptions = true,
      description = "Stop watching a thing group (or all things) with the profile.")
  static final class Detach extends TargetChange {
    @Override
    String method() {
      return "DELETE";
    }
  }

  /** {@code mamori defender alarms list [--active]}. */
  @Command(
      name = "alarms",
      mixinStandardHelpOptions = true,
      description = "Detect alarms.",
      subcommands = {ListAlarms.class})
  static final class AlarmsGroup extends GroupCommand {}

  /** {@code mamori defender alarms list [--active]}. */
  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "List alarms, newest first: id, state, verification, thing, profile/behavior.")
  static final class ListAlarms implements Callable<Integer> {
    @Mixin ClientOptions options;
    @Mixin JsonOption json;

    @Option(names = "--active", description = "Only alarms still active.")
    boolean active;

    @Override
    public Integer call() {
      JsonNode answer = options.client().get(ALARMS + "?active=" + active);
      if (json.enabled) {
        options.printJson(answer);
        return 0;
      }
      for (JsonNode a : answer.path("alarms")) {
        options
            .out()
            .printf(
                "%s %-7s %-9s %s %s/%s %s=%s threshold=%s%n",
                a.path("id").asText(),
                a.path("state").asText(),
                a.path("verificationState").asText(),
                a.path("thingName").asText(),
                a.path("securityProfileName").asText(),
                a.path("behaviorName").asText(),
                a.path("metric").asText(),
                a.path("value").asText(),
                a.path("threshold").asText());
      }
      options.out().printf("%d alarm(s)%n", answer.path("alarms").size());
      options.out().flush();
      return 0;
    }
  }

  /** {@code mamori defender alarm show|verify|dismiss ID}. */
  @Command(
      name = "alarm",
      mixinStandardHelpOptions = true,
      description = "One alarm: show it with its history, verify or dismiss it.",
      subcommands = {ShowAlarm.class, Verify.class, Dismiss.class})
  static final class AlarmGroup extends GroupCommand {}

  /** What the alarm subcommands start with: the client options and the alarm's ID. */
  abstract static class OneAlarm implements Callable<Integer> {
    @Mixin ClientOptions options;

    @Parameters(index = "0", paramLabel = "ID")
    String id;

    String path() {
      return ALARMS + "/" + ApiClient.segment(id);
    }
  }

  /** {@code mamori defender alarm show ID}. */
  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      description = "An alarm and its history.")
  static final class ShowAlarm extends OneAlarm {
    @Override
    public Integer call() {
      options.printJson(options.client().get(path()));
      return 0;
    }
  }

  abstract static class Judge extends OneAlarm {
    @Option(names = "--note", required = true, description = "Why (kept in the alarm history).")
    String note;

    abstract String action();

    @Override
    public Integer call() {
      var body = options.json().createObjectNode().put("note", note);
      JsonNode alarm = options.client().post(path() + "/" + action(), body);
      options
          .out()
          .printf("%s %s%n", alarm.path("id").asText(), alarm.path("verificationState").asText());
      options.out().flush();
      return 0;
    }
  }

  /** {@code mamori defender alarm verify ID --note TEXT}: a true positive. */
  @Command(
      name = "verify",
      mixinStandardHelpOptions = true,
      description = "Mark the alarm a true positive, saying why.")
  static final class Verify extends Judge {
    @Override
    String action() {
      return "verify";
    }
  }

  /** {@code mamori defender alarm dismiss ID --note TEXT}: a false or benign positive. */
  @Command(
      name = "dismiss",
      mixinStandardHelpOptions = true,
      description = "Mark the alarm a false positive or benign, saying why.")
  static final class Dismiss extends Judge {
    @Override
    String action() {
      return "dismiss";
    }
  }
}
