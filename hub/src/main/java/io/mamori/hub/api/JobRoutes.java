package io.mamori.hub.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mamori.hub.jobs.AbortCriterion;
import io.mamori.hub.jobs.ExecutionStatus;
import io.mamori.hub.jobs.Job;
import io.mamori.hub.jobs.JobDescription;
import io.mamori.hub.jobs.JobException;
import io.mamori.hub.jobs.JobExecution;
import io.mamori.hub.jobs.JobJson;
import io.mamori.hub.jobs.JobService;
import io.mamori.hub.jobs.JobTargets;
import io.mamori.hub.jobs.RolloutConfig;
import io.mamori.hub.jobs.RolloutJson;
import io.mamori.hub.jobs.TargetSelection;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * {@code /api/v1/jobs}: create, list, describe (with counts per execution status), cancel and
 * delete jobs (reference §3.4, with jobExecutionsRolloutConfig, abortConfig and timeoutConfig;
 * retry configurations are not supported yet).
 */
final class JobRoutes {
  private static final String JOB = "/api/v1/jobs/{jobId}";

  private final JobService jobs;
  private final Representations views;

  JobRoutes(JobService jobs, Representations views) {
    this.jobs = jobs;
    this.views = views;
  }

  void register(Router router) {
    router
        .add("GET", "/api/v1/jobs", this::list)
        .add("POST", "/api/v1/jobs", this::create)
        .add("GET", JOB, this::describe)
        .add("POST", JOB + "/cancel", this::cancel)
        .add("DELETE", JOB, this::delete);
  }

  private ApiResponse list(ApiRequest request) {
    ObjectNode node = views.object();
    ArrayNode items = node.putArray("jobs");
    jobs.list().forEach(j -> items.add(summary(j)));
    return ApiResponse.ok(node);
  }

  private ApiResponse create(ApiRequest request) {
    ObjectNode body = request.jsonObject();
    if (body.has("jobExecutionsRetryConfig")) {
      // Refused rather than ignored: an operator relying on retries must know they are absent.
      throw ApiException.badRequest("jobExecutionsRetryConfig is not supported by this hub yet");
    }
    String jobId = ApiRequest.requiredText(body, "jobId");
    JsonNode document = body.get("document");
    if (document == null || !document.isObject()) {
      throw ApiException.badRequest("document must be a JSON object");
    }
    TargetSelection selection;
    String selectionText = ApiRequest.optionalText(body, "targetSelection").orElse("SNAPSHOT");
    try {
      selection = TargetSelection.valueOf(selectionText.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("targetSelection must be SNAPSHOT or CONTINUOUS");
    }
    JobTargets targets = new JobTargets(names(body, "things"), names(body, "thingGroups"));
    List<AbortCriterion> abort = abortCriteria(body.get("abortConfig"));
    Optional<Long> timeout = inProgressTimeout(body.get("timeoutConfig"));
    return guarded(
        () -> {
          RolloutConfig rollout = RolloutJson.parse(body.get("jobExecutionsRolloutConfig"));
          return ApiResponse.created(
              describeView(
                  jobs.describe(
                      jobs.create(
                              jobId,
                              ApiRequest.optionalText(body, "description").orElse(""),
                              (ObjectNode) document,
                              targets,
                              selection,
                              abort,
                              timeout,
                              rollout,
                              AdminApiServer.ACTOR)
                          .jobId())));
        });
  }

  private ApiResponse delete(ApiRequest request) {
    String force = request.query("force").orElse("false");
    if (!force.equals("true") && !force.equals("false")) {
      throw ApiException.badRequest("force must be true or false");
    }
    return guarded(
        () -> {
          jobs.delete(request.path("jobId"), force.equals("true"), AdminApiServer.ACTOR);
          return ApiResponse.noContent();
        });
  }

  private ApiResponse describe(ApiRequest request) {
    return guarded(() -> ApiResponse.ok(describeView(jobs.describe(request.path("jobId")))));
  }

  private ApiResponse cancel(ApiRequest request) {
    String force = request.query("force").orElse("false");
    if (!force.equals("true") && !force.equals("false")) {
      throw ApiException.badRequest("force must be true or false");
    }
    return guarded(
        () -> {
          jobs.cancel(request.path("jobId"), force.equals("true"), AdminApiServer.ACTOR);
          return ApiResponse.ok(describeView(jobs.describe(request.path("jobId"))));
        });
  }

  /** AWS's {@code abortConfig}: {"criteriaList": [{action: CANCEL, failureType, ...}]}. */
  private static List<AbortCriterion> abortCriteria(JsonNode config) {
    if (config == null || config.isNull()) {
      return List.of();
    }
    JsonNode list = config.path("criteriaList");
    if (!config.isObject() || !list.isArray() || list.isEmpty()) {
      throw ApiException.badRequest("abortConfig must be {\"criteriaList\": [criteria...]}");
    }
    List<AbortCriterion> criteria = new ArrayList<>();
    for (JsonNode c : list) {
      if (!c.path("action").asText("CANCEL").equals("CANCEL")) {
        throw ApiException.badRequest("abortConfig action must be CANCEL");
      }
      AbortCriterion.FailureType type;
      try {
        type = AbortCriterion.FailureType.valueOf(c.path("failureType").asText());
      } catch (IllegalArgumentException e) {
        throw ApiException.badRequest(
            "abortConfig failureType must be FAILED, REJECTED, TIMED_OUT or ALL");
      }
      JsonNode min = c.path("minNumberOfExecutedThings");
      JsonNode percent = c.path("thresholdPercentage");
      if (!min.canConvertToLong() || !min.isIntegralNumber() || !percent.isNumber()) {
        throw ApiException.badRequest(
            "abortConfig criteria need an integer minNumberOfExecutedThings and a number"
                + " thresholdPercentage");
      }
      try {
        criteria.add(new AbortCriterion(type, min.asLong(), percent.asDouble()));
      } catch (JobException e) {
        throw ApiException.badRequest("abortConfig: " + e.getMessage());
      }
    }
    return criteria;
  }

  /** AWS's {@code timeoutConfig}: {"inProgressTimeoutInMinutes": N}. */
  private static Optional<Long> inProgressTimeout(JsonNode config) {
    if (config == null || config.isNull()) {
      return Optional.empty();
    }
    JsonNode minutes = config.path("inProgressTimeoutInMinutes");
    if (!config.isObject() || !minutes.isIntegralNumber() || !minutes.canConvertToLong()) {
      throw ApiException.badRequest(
          "timeoutConfig must be {\"inProgressTimeoutInMinutes\": integer}");
    }
    return Optional.of(minutes.asLong());
  }

  private static Set<String> names(ObjectNode body, String field) {
    JsonNode node = body.get(field);
    if (node == null || node.isNull()) {
      return Set.of();
    }
    if (!node.isArray()) {
      throw ApiException.badRequest(field + " must be an array of names");
    }
    Set<String> names = new LinkedHashSet<>();
    for (JsonNode item : node) {
      if (!item.isTextual() || item.asText().isBlank()) {
        throw ApiException.badRequest(field + " must be an array of non-empty names");
      }
      names.add(item.asText());
    }
    return names;
  }

  private static ApiResponse guarded(Supplier<ApiResponse> work) {
    try {
      return work.get();
    } catch (JobException e) {
      throw switch (e.kind()) {
        case INVALID -> ApiException.badRequest(e.getMessage());
        case NOT_FOUND -> ApiException.notFound(e.getMessage());
        case CONFLICT -> new ApiException(409, "conflict", e.getMessage());
      };
    }
  }

  private ObjectNode summary(Job job) {
    ObjectNode node =
        views
            .object()
            .put("jobId", job.jobId())
            .put("description", job.description())
            .put("status", job.status().name())
            .put("targetSelection", job.targetSelection().name())
            .put("forceCanceled", job.forceCanceled())
            .put("createdAt", job.createdAt())
            .put("lastUpdatedAt", job.lastUpdatedAt());
    job.completedAt().ifPresent(t -> node.put("completedAt", t));
    ObjectNode targets = node.putObject("targets");
    new TreeSet<>(job.targets().things()).forEach(targets.putArray("things")::add);
    new TreeSet<>(job.targets().groups()).forEach(targets.putArray("thingGroups")::add);
    job.inProgressTimeoutMinutes()
        .ifPresent(m -> node.putObject("timeoutConfig").put("inProgressTimeoutInMinutes", m));
    if (!job.abortCriteria().isEmpty()) {
      ArrayNode criteria = node.putObject("abortConfig").putArray("criteriaList");
      for (AbortCriterion c : job.abortCriteria()) {
        criteria
            .addObject()
            .put("action", "CANCEL")
            .put("failureType", c.failureType().name())
            .put("minNumberOfExecutedThings", c.minNumberOfExecutedThings())
            .put("thresholdPercentage", c.thresholdPercentage());
      }
    }
    return node;
  }

  private ObjectNode describeView(JobDescription description) {
    ObjectNode node = summary(description.job());
    description
        .rollout()
        .ifPresent(
            r -> {
              node.set("jobExecutionsRolloutConfig", RolloutJson.write(r.config()));
              // Not AWS: where the rollout stands (its current rate and how many were notified).
              node.putObject("rollout")
                  .put("ratePerMinute", r.ratePerMinute())
                  .put("notified", description.releasedAt().size());
            });
    node.set("document", description.job().document().deepCopy());
    ObjectNode counts = node.putObject("executionCounts");
    for (ExecutionStatus status : ExecutionStatus.values()) {
      counts.put(status.name(), description.counts().getOrDefault(status, 0L));
    }
    ArrayNode executions = node.putArray("executions");
    for (JobExecution e : description.executions()) {
      ObjectNode item = JobJson.state(e).put("thingName", e.thingName());
      item.put("queuedAt", e.queuedAt());
      e.startedAt().ifPresent(s -> item.put("startedAt", s));
      Long released = description.releasedAt().get(e.thingName());
      if (released != null) {
        item.put("notifiedAtMillis", released); // when the rollout released it to the device
      }
      item.put("lastUpdatedAt", e.lastUpdatedAt()).put("executionNumber", e.executionNumber());
      executions.add(item);
    }
    return node;
  }
}
