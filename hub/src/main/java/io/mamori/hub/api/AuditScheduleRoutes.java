package io.mamori.hub.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mamori.hub.defender.AuditSchedule;
import io.mamori.hub.defender.AuditScheduler;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code /api/v1/defender/audit/schedules}: create (period as ISO-8601, e.g. {@code PT24H}, and
 * optional check names), list with the last run, delete.
 */
final class AuditScheduleRoutes {
  private final AuditScheduler scheduler;
  private final Representations views;

  AuditScheduleRoutes(AuditScheduler scheduler, Representations views) {
    this.scheduler = scheduler;
    this.views = views;
  }

  void register(Router router) {
    router
        .add("POST", "/api/v1/defender/audit/schedules", this::create)
        .add("GET", "/api/v1/defender/audit/schedules", request -> list())
        .add("GET", "/api/v1/defender/audit/schedules/{id}", this::describe)
        .add("DELETE", "/api/v1/defender/audit/schedules/{id}", this::delete);
  }

  private ApiResponse create(ApiRequest request) {
    ObjectNode body = request.jsonObject();
    Duration every;
    try {
      every = Duration.parse(ApiRequest.requiredText(body, "every"));
    } catch (DateTimeParseException e) {
      throw ApiException.badRequest("'every' must be an ISO-8601 duration such as PT24H");
    }
    List<String> checks = new ArrayList<>();
    JsonNode given = body.get("checks");
    if (given != null && !given.isNull()) {
      if (!given.isArray()) {
        throw ApiException.badRequest("'checks' must be an array of check names");
      }
      for (JsonNode check : given) {
        if (!check.isTextual()) {
          throw ApiException.badRequest("'checks' must be an array of check names");
        }
        checks.add(check.textValue());
      }
    }
    try {
      return ApiResponse.created(view(scheduler.create(every, checks, AdminApiServer.ACTOR)));
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(e.getMessage());
    }
  }

  private ApiResponse list() {
    ObjectNode body = views.object();
    var items = body.putArray("schedules");
    scheduler.list().forEach(s -> items.add(view(s)));
    return ApiResponse.ok(body);
  }

  private ApiResponse describe(ApiRequest request) {
    return ApiResponse.ok(
        view(
            scheduler
                .find(request.path("id"))
                .orElseThrow(
                    () ->
                        ApiException.notFound(
                            "audit schedule " + request.path("id") + " not found"))));
  }

  private ApiResponse delete(ApiRequest request) {
    if (!scheduler.delete(request.path("id"), AdminApiServer.ACTOR)) {
      throw ApiException.notFound("audit schedule " + request.path("id") + " not found");
    }
    return ApiResponse.noContent();
  }

  private ObjectNode view(AuditSchedule s) {
    ObjectNode node =
        views
            .object()
            .put("scheduleId", s.id())
            .put("every", s.every().toString())
            .put("createdAt", s.createdAt().toString())
            .put("nextRunAt", s.nextRunAt().toString());
    s.checks().forEach(node.putArray("checks")::add);
    s.lastRunAt().ifPresent(at -> node.put("lastRunAt", at.toString()));
    s.lastFindings().ifPresent(n -> node.put("lastFindings", n));
    s.lastError().ifPresent(e -> node.put("lastError", e));
    return node;
  }
}
