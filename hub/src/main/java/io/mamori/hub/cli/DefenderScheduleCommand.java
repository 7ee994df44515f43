package io.mamori.hub.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mamori defender audit schedule}: configuration audits that run on their own. */
@Command(
    name = "schedule",
    mixinStandardHelpOptions = true,
    description = "Scheduled audits: findings go out as defender.audit.finding events (webhooks).",
    subcommands = {
      DefenderScheduleCommand.Create.class,
      DefenderScheduleCommand.ListSchedules.class,
      DefenderScheduleCommand.Delete.class
    })
final class DefenderScheduleCommand extends GroupCommand {
  private static final String PATH = "/api/v1/defender/audit/schedules";

  /** {@code mamori defender audit schedule create --every 24h [--checks A,B]}. */
  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description = "Create a schedule; it runs now, then every period. Prints its id.")
  static final class Create implements Callable<Integer> {
    @Mixin ClientOptions options;

    @Option(
        names = "--every",
        required = true,
        converter = DurationConverter.class,
        description = "Period, 1m to 31d: e.g. 24h, 7d, 30m.")
    Duration every;

    @Option(
        names = "--checks",
        split = ",",
        description = "Check names to report (default all), e.g. DEVICE_CERTIFICATE_SHARED_CHECK.")
    List<String> checks = List.of();

    @Override
    public Integer call() {
      ObjectNode body = new ObjectMapper().createObjectNode().put("every", every.toString());
      var array = body.putArray("checks");
      checks.forEach(array::add);
      JsonNode created = options.client().post(PATH, body);
      options.out().println(created.path("scheduleId").asText());
      options.out().flush();
      return 0;
    }
  }

  /** {@code mamori defender audit schedule list}. */
  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "List schedules with their last run.")
  static final class ListSchedules implements Callable<Integer> {
    @Mixin ClientOptions options;
    @Mixin JsonOption json;

    @Override
    public Integer call() {
      JsonNode answer = options.client().get(PATH);
      if (json.enabled) {
        options.printJson(answer);
        return 0;
      }
      for (JsonNode s : answer.path("schedules")) {
        List<String> names = new java.util.ArrayList<>();
        s.path("checks").forEach(c -> names.add(c.asText()));
        options
            .out()
            .printf(
                "%s every=%s checks=%s lastRun=%s lastFindings=%s next=%s%s%n",
                s.path("scheduleId").asText(),
                s.path("every").asText(),
                names.isEmpty() ? "all" : String.join(",", names),
                s.path("lastRunAt").asText("never"),
                s.has("lastFindings") ? s.path("lastFindings").asText() : "-",
                s.path("nextRunAt").asText(),
                s.has("lastError") ? " lastError=\"" + s.path("lastError").asText() + "\"" : "");
      }
      options.out().flush();
      return 0;
    }
  }

  /** {@code mamori defender audit schedule delete ID}. */
  @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a schedule.")
  static final class Delete implements Callable<Integer> {
    @Mixin ClientOptions options;

    @Parameters(index = "0", paramLabel = "ID")
    String id;

    @Override
    public Integer call() {
      options.client().delete(PATH + "/" + ApiClient.segment(id));
      return 0;
    }
  }
}
