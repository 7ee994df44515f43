package io.mamori.hub.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mamori job}: AWS-compatible jobs sent to things and thing groups. */
@Command(
    name = "job",
    mixinStandardHelpOptions = true,
    description =
        "Create, list, describe, cancel and delete jobs (devices use the AWS Jobs MQTT API).",
    subcommands = {
      JobCommand.Create.class,
      JobCommand.ListJobs.class,
      JobCommand.Describe.class,
      JobCommand.Cancel.class,
      JobCommand.Delete.class
    })
final class JobCommand extends GroupCommand {
  /** Execution statuses in the order describe prints them. */
  private static final List<String> STATUSES =
      List.of(
          "QUEUED",
          "IN_PROGRESS",
          "SUCCEEDED",
          "FAILED",
          "TIMED_OUT",
          "REJECTED",
          "REMOVED",
          "CANCELED");

  private static final int BAR_WIDTH = 30;

  static String path(String jobId) {
    return "/api/v1/jobs/" + ApiClient.segment(jobId);
  }

  /** {@code mamori job create JOBID --document FILE --targets thing1,group:g1 [--continuous]}. */
  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description =
          "Create a job: one execution per target thing (group members included); devices are"
              + " notified on $aws/things/T/jobs/notify and notify-next.")
  static final class Create implements Callable<Integer> {
    @Mixin ClientOptions options;

    @Parameters(paramLabel = "JOBID", description = "Job id: letters, digits, '-', '_' (<= 64).")
    String jobId;

    @Option(
        names = "--document",
        paramLabel = "FILE",
        description = "The job document, a JSON object (<= 32 KB).")
    Optional<Path> document = Optional.empty();

    @Option(
        names = "--template",
        paramLabel = "NAME",
        description =
            "A remote operation instead of --document: reboot, factory-reset (the device wipes"
                + " itself; on SUCCEEDED the hub revokes and detaches its certificates) or config"
                + " (with --setting).")
    Optional<String> template = Optional.empty();

    @Option(
        names = "--setting",
        paramLabel = "KEY=VALUE",
        description = "A setting of --template config, repeatable.")
    List<String> settings = new ArrayList<>();

    @Option(
        names = "--ota",
        paramLabel = "FIRMWARE_ID",
        description =
            "Install a firmware image (from 'mamori firmware upload'): the document carries its"
                + " size, SHA-256, signature and a per-device HTTPS download URL.")
    Optional<String> ota = Optional.empty();

    @Option(
        names = "--targets",
        required = true,
        split = ",",
        paramLabel = "TARGET",
        description = "Comma-separated targets: a thing name, or group:NAME for a thing group.")
    List<String> targets;

    @Option(
        names = "--continuous",
        description = "Things that join a target group later get the job too.")
    boolean continuous;

    @Option(
        names = "--abort",
        paramLabel = "TYPE:PERCENT:MIN",
        description =
            "Abort rule, repeatable: cancel the job (and its QUEUED executions) once at least MIN"
                + " executions finished and PERCENT of them ended TYPE (FAILED, REJECTED,"
                + " TIMED_OUT or ALL), e.g. FAILED:20:10.")
    List<String> abort = new ArrayList<>();

    @Option(
        names = "--in-progress-timeout",
        paramLabel = "MINUTES",
        description =
            "An execution still IN_PROGRESS this long after it started becomes TIMED_OUT"
                + " (1-10080).")
    Optional<Long> inProgressTimeout = Optional.empty();

    @Option(names = "--description", paramLabel = "TEXT", description = "Free text.")
    Optional<String> description = Optional.empty();

    @Option(
        names = "--max-per-minute",
        paramLabel = "N",
        description =
            "Rollout: notify at most N things in any minute (1-1000, default 1000); the rest stay"
                + " QUEUED, unseen by their devices, until released.")
    Optional<Integer> maxPerMinute = Optional.empty();

    @Option(
        names = "--base-rate",
        paramLabel = "N",
        description =
            "Exponential rollout: start at N things per minute (needs --increment-factor and an"
                + " --increase-after-* criterion).")
    Optional<Integer> baseRate = Optional.empty();

    @Option(
        names = "--increment-factor",
        paramLabel = "F",
        description = "Exponential rollout: multiply the rate by F (1.1-5) at each step.")
    Optional<Double> incrementFactor = Optional.empty();

    @Option(
        names = "--increase-after-notified",
        paramLabel = "N",
        description = "Exponential rollout: step up once N more things have been notified.")
    Optional<Long> increaseAfterNotified = Optional.empty();

    @Option(
        names = "--increase-after-succeeded",
        paramLabel = "N",
        description = "Exponential rollout: step up once N more executions have SUCCEEDED.")
    Optional<Long> increaseAfterSucceeded = Optional.empty();

    /** AWS's jobExecutionsRolloutConfig from the options; the hub validates the values. */
    private Optional<ObjectNode> rolloutConfig() {
      boolean exponential =
          baseRate.isPresent()
              || incrementFactor.isPresent()
              || increaseAfterNotified.isPresent()
              || increaseAfterSucceeded.isPresent();
      if (maxPerMinute.isEmpty() && !exponential) {
        return Optional.empty();
      }
      ObjectNode config = options.json().createObjectNode();
      maxPerMinute.ifPresent(n -> config.put("maximumPerMinute", n));
      if (exponential) {
        if (baseRate.isEmpty() || incrementFactor.isEmpty()) {
          throw new CliFailure(
              "an exponential rollout needs --base-rate and --increment-factor together");
        }
        ObjectNode rate =
            config
                .putObject("exponentialRate")
                .put("baseRatePerMinute", baseRate.get())
                .put("incrementFactor", incrementFactor.get());
        ObjectNode criteria = rate.putObject("rateIncreaseCriteria");
        increaseAfterNotified.ifPresent(n -> criteria.put("numberOfNotifiedThings", n));
        increaseAfterSucceeded.ifPresent(n -> criteria.put("numberOfSucceededThings", n));
      }
      return Optional.of(config);
    }

    @Override
    public Integer call() {
      ObjectNode object = JobDocumentSource.resolve(options, document, template, ota, settings);
      ObjectNode body = options.json().createObjectNode().put("jobId", jobId);
      body.set("document", object);
      description.ifPresent(d -> body.put("description", d));
      body.put("targetSelection", continuous ? "CONTINUOUS" : "SNAPSHOT");
      inProgressTimeout.ifPresent(
          m -> body.putObject("timeoutConfig").put("inProgressTimeoutInMinutes", m));
      rolloutConfig().ifPresent(r -> body.set("jobExecutionsRolloutConfig", r));
      if (!abort.isEmpty()) {
        ArrayNode criteria = body.putObject("abortConfig").putArray("criteriaList");
        for (String rule : abort) {
          String[] parts = rule.split(":", -1);
          if (parts.length != 3) {
            throw new CliFailure(
                "--abort must be TYPE:PERCENT:MIN, e.g. FAILED:20:10, not " + rule);
          }
          ObjectNode c = criteria.addObject().put("action", "CANCEL").put("failureType", parts[0]);
          try {
            c.put("thresholdPercentage", Double.parseDouble(parts[1]));
            c.put("minNumberOfExecutedThings", Long.parseLong(parts[2]));
          } catch (NumberFormatException e) {
            throw new CliFailure("--abort " + rule + ": PERCENT and MIN must be numbers");
          }
        }
      }
      ArrayNode things = body.putArray("things");
      ArrayNode groups = body.putArray("thingGroups");
      for (String target : targets) {
        String t = target.strip();
        if (t.startsWith("group:")) {
          String group = t.substring("group:".length());
          if (group.isEmpty()) {
            throw new CliFailure("--targets: empty group name in '" + target + "'");
          }
          groups.add(group);
        } else if (t.isEmpty()) {
          throw new CliFailure("--targets: empty target in the list");
        } else {
          things.add(t);
        }
      }
      options.printJson(options.client().post("/api/v1/jobs", body));
      return 0;
    }
  }

  /** {@code mamori job delete JOBID [--force]}. */
  @Command(
      name = "delete",
      mixinStandardHelpOptions = true,
      description =
          "Delete a job and its executions; an IN_PROGRESS job only with --force (cancel it"
              + " first otherwise).")
  static final class Delete implements Callable<Integer> {
    @Mixin ClientOptions options;

    @Parameters(paramLabel = "JOBID", description = "Job id.")
    String jobId;

    @Option(names = "--force", description = "Delete even while devices may be running it.")
    boolean force;

    @Override
    public Integer call() {
      options.client().send("DELETE", path(jobId) + "?force=" + force, Optional.empty());
      options.out().println("job " + jobId + " deleted");
      return 0;
    }
  }

  /** {@code mamori job list}. */
  @Command(name = "list", mixinStandardHelpOptions = true, description = "List jobs, newest first.")
  static final class ListJobs implements Callable<Integer> {
    @Mixin ClientOptions options;
    @Mixin JsonOption json;

    @Override
    public Integer call() {
      JsonNode answer = options.client().get("/api/v1/jobs");
      if (json.enabled) {
        options.printJson(answer);
        return 0;
      }
      List<List<String>> rows = new ArrayList<>();
      for (JsonNode job : answer.path("jobs")) {
        rows.add(
            List.of(
                job.path("jobId").asText(),
                job.path("status").asText(),
                job.path("targetSelection").asText(),
                job.path("description").asText()));
      }
      TextOutput.table(
          options.out(), List.of("JOB ID", "STATUS", "SELECTION", "DESCRIPTION"), rows);
      return 0;
    }
  }

  /** {@code mamori job describe JOBID}. */
  @Command(
      name = "describe",
      mixinStandardHelpOptions = true,
      description =
          "Show a job and how many of its executions are in each status (a progress bar on a"
              + " terminal).")
  static final class Describe implements Callable<Integer> {
    @Mixin ClientOptions options;
    @Mixin JsonOption json;

    @Parameters(paramLabel = "JOBID", description = "Job id.")
    String jobId;

    @Override
    public Integer call() {
      JsonNode job = options.client().get(path(jobId));
      if (json.enabled) {
        options.printJson(job);
        return 0;
      }
      PrintWriter out = options.out();
      List<String[]> fields = new ArrayList<>();
      fields.add(TextOutput.field("job", job.path("jobId").asText()));
      fields.add(TextOutput.field("status", job.path("status").asText()));
      fields.add(TextOutput.field("targetSelection", job.path("targetSelection").asText()));
      fields.add(TextOutput.field("description", job.path("description").asText()));
      long total = 0;
      long finished = 0;
      JsonNode counts = job.path("executionCounts");
      for (String status : STATUSES) {
        long n = counts.path(status).asLong();
        total += n;
        if (!status.equals("QUEUED") && !status.equals("IN_PROGRESS")) {
          finished += n;
        }
        fields.add(TextOutput.field(status, Long.toString(n)));
      }
      fields.add(TextOutput.field("total", Long.toString(total)));
      JsonNode rollout = job.path("rollout");
      if (rollout.isObject()) {
        fields.add(
            TextOutput.field(
                "rollout",
                rollout.path("notified").asLong()
                    + " notified, "
                    + rollout.path("ratePerMinute").asLong()
                    + " per minute now"));
      }
      TextOutput.fields(out, fields);
      if (System.console() != null) {
        out.println(bar(finished, total));
      }
      return 0;
    }
  }

  /** {@code [#######.......] 50% (5/10 finished)}: the share of executions in a final status. */
  static String bar(long finished, long total) {
    int filled = total == 0 ? 0 : (int) (BAR_WIDTH * finished / total);
    long percent = total == 0 ? 0 : 100 * finished / total;
    return "["
        + "#".repeat(filled)
        + ".".repeat(BAR_WIDTH - filled)
        + "] "
        + String.format("%3d%%", percent)
        + " ("
        + finished
        + "/"
        + total
        + " finished)";
  }

  /** {@code mamori job cancel JOBID [--force]}. */
  @Command(
      name = "cancel",
      mixinStandardHelpOptions = true,
      description =
          "Cancel a job: QUEUED executions become CANCELED; with --force IN_PROGRESS ones too.")
  static final class Cancel implements Callable<Integer> {
    @Mixin ClientOptions options;

    @Parameters(paramLabel = "JOBID", description = "Job id.")
    String jobId;

    @Option(names = "--force", description = "Also cancel executions devices have started.")
    boolean force;

    @Override
    public Integer call() {
      JsonNode job =
          options.client().send("POST", path(jobId) + "/cancel?force=" + force, Optional.empty());
      options.out().println("job " + jobId + " " + job.path("status").asText());
      return 0;
    }
  }
}
