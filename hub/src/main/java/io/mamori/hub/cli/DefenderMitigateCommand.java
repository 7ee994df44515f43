package io.mamori.hub.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mamori defender mitigate THING --action ACTION}: applies one mitigation now. */
@Command(
    name = "mitigate",
    mixinStandardHelpOptions = true,
    description = {
      "Apply a mitigation to THING now (idempotent; recorded in the audit log):",
      "  quarantine              move it into group defender-quarantine (deny-all policy)",
      "  deactivate-certificate  set its ACTIVE certificates INACTIVE",
      "  revoke-certificate      revoke its certificates (final)",
      "  start-job               create a job for it (--job-document, optional --job-id)",
      "  replace-policy-version  new default version of --policy from --policy-document"
    })
final class DefenderMitigateCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Mixin ClientOptions options;

  @Parameters(index = "0", paramLabel = "THING")
  String thing;

  @Option(names = "--action", required = true, description = "The action (see above).")
  String action;

  @Option(names = "--job-document", description = "JSON job document file (start-job).")
  Path jobDocument;

  @Option(names = "--job-id", description = "Job id (start-job); derived when absent.")
  String jobId;

  @Option(names = "--policy", description = "Policy name (replace-policy-version).")
  String policy;

  @Option(
      names = "--policy-document",
      description = "Policy document file (replace-policy-version).")
  Path policyDocument;

  @Option(names = "--alarm-id", description = "The alarm this answers, for the record.")
  String alarmId;

  @Override
  public Integer call() {
    ObjectNode params = JSON.createObjectNode();
    if (jobDocument != null) {
      JsonNode document = readJson(jobDocument, "the job document");
      if (!document.isObject()) {
        throw new CliFailure("the job document " + jobDocument + " must be a JSON object");
      }
      params.set("document", document);
    }
    if (jobId != null) {
      params.put("jobId", jobId);
    }
    if (policy != null) {
      params.put("policyName", policy);
    }
    if (policyDocument != null) {
      params.put("policyDocument", read(policyDocument, "the policy document"));
    }
    ObjectNode body = JSON.createObjectNode().put("thingName", thing).put("action", action);
    body.set("params", params);
    if (alarmId != null) {
      body.put("alarmId", alarmId);
    }
    JsonNode answer = options.client().post("/api/v1/defender/mitigations", body);
    options
        .out()
        .printf(
            "%s %s: %s%s%n",
            answer.path("action").asText(),
            answer.path("thingName").asText(),
            answer.path("detail").asText(),
            answer.path("alreadyApplied").asBoolean() ? " (already applied)" : "");
    options.out().flush();
    return 0;
  }

  private static String read(Path file, String what) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw CliFailure.unreadable(what, file, e);
    }
  }

  private static JsonNode readJson(Path file, String what) {
    try {
      return JSON.readTree(read(file, what));
    } catch (IOException e) {
      throw new CliFailure(what + " " + file + " is not valid JSON");
    }
  }
}
