package io.mamori.hub.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code mamori defender}: Device Defender features of the hub. */
@Command(
    name = "defender",
    mixinStandardHelpOptions = true,
    description =
        "Device Defender: configuration audits, schedules and mitigations; Detect profiles and alarms.",
    subcommands = {
      DefenderCommand.Audit.class,
      DefenderMitigateCommand.class,
      DefenderCommand.Suppress.class,
      DefenderCommand.Unsuppress.class,
      DetectCommands.Profile.class,
      DetectCommands.AlarmsGroup.class,
      DetectCommands.AlarmGroup.class
    })
final class DefenderCommand extends GroupCommand {

  /** {@code mamori defender audit}: runs the configuration audit and lists its findings. */
  @Command(
      name = "audit",
      mixinStandardHelpOptions = true,
      subcommands = DefenderScheduleCommand.class,
      description = {
        "Run the configuration audit now: shared or conflicting certificates and client ids,",
        "revoked certificates still connected, overly permissive policies, expiring",
        "certificates, weak keys, audit log disabled. One line per finding, most severe first."
      })
  static final class Audit implements Callable<Integer> {
    @Mixin ClientOptions options;
    @Mixin JsonOption json;

    @Override
    public Integer call() {
      var answer = options.client().get("/api/v1/defender/audit/findings");
      if (json.enabled) {
        options.printJson(answer);
        return 0;
      }
      var findings = answer.path("findings");
      for (var finding : findings) {
        options
            .out()
            .printf(
                "%-8s %s%s %s %s: %s%n",
                finding.path("severity").asText(),
                finding.path("suppressed").asBoolean()
                    ? "(suppressed: " + finding.path("suppressionNote").asText() + ") "
                    : "",
                finding.path("checkName").asText(),
                finding.path("resourceType").asText(),
                finding.path("resourceId").asText(),
                finding.path("reason").asText());
      }
      options.out().printf("%d finding(s)%n", findings.size());
      options.out().flush();
      return 0;
    }
  }

  static String suppressionPath(String check, String resourceId) {
    return "/api/v1/defender/audit/suppressions/"
        + java.net.URLEncoder.encode(check, java.nio.charset.StandardCharsets.UTF_8)
            .replace("+", "%20")
        + "/"
        + java.net.URLEncoder.encode(resourceId, java.nio.charset.StandardCharsets.UTF_8)
            .replace("+", "%20");
  }

  /** {@code mamori defender suppress CHECK RESOURCE --note TEXT}. */
  @Command(
      name = "suppress",
      mixinStandardHelpOptions = true,
      description =
          "Accept findings of CHECK on RESOURCE (a policy name, certificate id or client id), saying why.")
  static final class Suppress implements Callable<Integer> {
    @Mixin ClientOptions options;

    @picocli.CommandLine.Parameters(index = "0", paramLabel = "CHECK")
    String check;

    @picocli.CommandLine.Parameters(index = "1", paramLabel = "RESOURCE")
    String resourceId;

    @picocli.CommandLine.Option(
        names = "--note",
        required = true,
        description = "Why this finding is accepted.")
    String note;

    @Override
    public Integer call() {
      var body =
          new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode().put("note", note);
      options.client().put(suppressionPath(check, resourceId), body);
      return 0;
    }
  }

  /** {@code mamori defender unsuppress CHECK RESOURCE}. */
  @Command(
      name = "unsuppress",
      mixinStandardHelpOptions = true,
      description = "Report findings of CHECK on RESOURCE again.")
  static final class Unsuppress implements Callable<Integer> {
    @Mixin ClientOptions options;

    @picocli.CommandLine.Parameters(index = "0", paramLabel = "CHECK")
    String check;

    @picocli.CommandLine.Parameters(index = "1", paramLabel = "RESOURCE")
    String resourceId;

    @Override
    public Integer call() {
      options.client().delete(suppressionPath(check, resourceId));
      return 0;
    }
  }
}
