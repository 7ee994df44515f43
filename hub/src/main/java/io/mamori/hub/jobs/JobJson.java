package io.mamori.hub.jobs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** The MQTT shapes of reference §3.2: JobExecutionData, JobExecutionState, JobExecutionSummary. */
public final class JobJson {
  public static final ObjectMapper JSON = new ObjectMapper();

  private JobJson() {}

  public static ObjectNode executionData(ExecutionView view, boolean includeDocument) {
    JobExecution e = view.execution();
    ObjectNode node =
        JSON.createObjectNode().put("jobId", e.jobId()).put("thingName", e.thingName());
    if (includeDocument) {
      node.set("jobDocument", view.jobDocument().deepCopy());
    }
    node.put("status", e.status().name());
    node.set("statusDetails", JSON.valueToTree(e.statusDetails()));
    node.put("queuedAt", e.queuedAt());
    e.startedAt().ifPresent(s -> node.put("startedAt", s));
    node.put("lastUpdatedAt", e.lastUpdatedAt());
    node.put("versionNumber", e.versionNumber());
    node.put("executionNumber", e.executionNumber());
    return node;
  }

  public static ObjectNode state(JobExecution e) {
    ObjectNode node = JSON.createObjectNode().put("status", e.status().name());
    node.set("statusDetails", JSON.valueToTree(e.statusDetails()));
    node.put("versionNumber", e.versionNumber());
    return node;
  }

  public static ObjectNode summary(JobExecution e) {
    ObjectNode node = JSON.createObjectNode().put("jobId", e.jobId()).put("queuedAt", e.queuedAt());
    e.startedAt().ifPresent(s -> node.put("startedAt", s));
    node.put("lastUpdatedAt", e.lastUpdatedAt());
    node.put("versionNumber", e.versionNumber());
    node.put("executionNumber", e.executionNumber());
    return node;
  }

  /** {@code .../jobs/notify}: the pending executions keyed by status, only non-empty keys. */
  static ObjectNode notify(List<JobExecution> pending, long now) {
    ObjectNode node = JSON.createObjectNode().put("timestamp", now);
    ObjectNode jobs = node.putObject("jobs");
    for (ExecutionStatus status : List.of(ExecutionStatus.QUEUED, ExecutionStatus.IN_PROGRESS)) {
      var list = pending.stream().filter(e -> e.status() == status).toList();
      if (!list.isEmpty()) {
        var array = jobs.putArray(status.name());
        list.forEach(e -> array.add(summary(e)));
      }
    }
    return node;
  }

  public static byte[] bytes(ObjectNode node) {
    try {
      return JSON.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode a job message", e);
    }
  }
}
