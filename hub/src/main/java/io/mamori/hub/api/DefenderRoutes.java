package io.mamori.hub.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mamori.hub.defender.ConfigurationAudit;
import io.mamori.hub.defender.Suppression;
import io.mamori.hub.defender.Suppressions;
import java.time.Clock;
import java.util.List;

/**
 * {@code GET /api/v1/defender/audit/findings} runs the configuration audit now; suppressions (with
 * a note saying why) are listed, set and removed under {@code .../audit/suppressions}.
 */
final class DefenderRoutes {
  private final ConfigurationAudit audit;
  private final Suppressions suppressions;
  private final Representations views;
  private final Clock clock;

  DefenderRoutes(
      ConfigurationAudit audit, Suppressions suppressions, Representations views, Clock clock) {
    this.audit = audit;
    this.suppressions = suppressions;
    this.views = views;
    this.clock = clock;
  }

  void register(Router router) {
    router
        .add("GET", "/api/v1/defender/audit/findings", request -> findings())
        .add("GET", "/api/v1/defender/audit/suppressions", request -> list())
        .add("PUT", SUPPRESSION, this::suppress)
        .add("DELETE", SUPPRESSION, this::unsuppress);
  }

  private static final String SUPPRESSION =
      "/api/v1/defender/audit/suppressions/{checkName}/{resourceId}";

  private ApiResponse list() {
    ObjectNode body = views.object();
    var items = body.putArray("suppressions");
    suppressions.list().forEach(s -> items.add(view(s)));
    return ApiResponse.ok(body);
  }

  private ApiResponse suppress(ApiRequest request) {
    String note = ApiRequest.requiredText(request.jsonObject(), "note");
    try {
      return ApiResponse.ok(
          view(
              suppressions.suppress(
                  request.path("checkName"),
                  request.path("resourceId"),
                  note,
                  AdminApiServer.ACTOR)));
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(e.getMessage());
    }
  }

  private ApiResponse unsuppress(ApiRequest request) {
    if (!suppressions.unsuppress(
        request.path("checkName"), request.path("resourceId"), AdminApiServer.ACTOR)) {
      throw ApiException.notFound(
          "no suppression of " + request.path("checkName") + " on " + request.path("resourceId"));
    }
    return ApiResponse.noContent();
  }

  private ObjectNode view(Suppression s) {
    return views
        .object()
        .put("checkName", s.check())
        .put("resourceId", s.resourceId())
        .put("note", s.note())
        .put("createdAt", s.createdAt().toString());
  }

  private ApiResponse findings() {
    ObjectNode body = views.object().put("ranAt", clock.instant().toString());
    var items = body.putArray("findings");
    List<Suppression> suppressed = suppressions.list();
    for (var finding : audit.run()) {
      var suppression =
          suppressed.stream()
              .filter(
                  s ->
                      s.check().equals(finding.check())
                          && s.resourceId().equals(finding.resourceId()))
              .findFirst();
      ObjectNode item = items.addObject().put("suppressed", suppression.isPresent());
      suppression.ifPresent(s -> item.put("suppressionNote", s.note()));
      item.put("checkName", finding.check())
          .put("severity", finding.severity().name())
          .put("reasonCode", finding.reasonCode())
          .put("resourceType", finding.resourceType())
          .put("resourceId", finding.resourceId())
          .put("reason", finding.reason());
    }
    return ApiResponse.ok(body);
  }
}
