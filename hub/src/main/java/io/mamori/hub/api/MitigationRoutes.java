package io.mamori.hub.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mamori.hub.defender.mitigation.MitigationAction;
import io.mamori.hub.defender.mitigation.MitigationFailure;
import io.mamori.hub.defender.mitigation.MitigationParams;
import io.mamori.hub.defender.mitigation.MitigationResult;
import io.mamori.hub.defender.mitigation.Mitigations;

/**
 * {@code POST /api/v1/defender/mitigations}: applies one mitigation action to a thing now. A
 * failure answers 400/404/409 with the reason, and is in the audit log like a success.
 */
final class MitigationRoutes {
  private final Mitigations mitigations;
  private final Representations views;

  MitigationRoutes(Mitigations mitigations, Representations views) {
    this.mitigations = mitigations;
    this.views = views;
  }

  void register(Router router) {
    router.add("POST", "/api/v1/defender/mitigations", this::apply);
  }

  private ApiResponse apply(ApiRequest request) {
    ObjectNode body = request.jsonObject();
    String thing = ApiRequest.requiredText(body, "thingName");
    MitigationAction action;
    MitigationParams params;
    try {
      action = MitigationAction.parse(ApiRequest.requiredText(body, "action"));
      params = MitigationParams.fromJson(body.get("params"));
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(e.getMessage());
    }
    MitigationResult result;
    try {
      result =
          mitigations.apply(
              thing,
              action,
              params,
              AdminApiServer.ACTOR,
              ApiRequest.optionalText(body, "alarmId"));
    } catch (MitigationFailure e) {
      throw switch (e.kind()) {
        case INVALID -> ApiException.badRequest(e.getMessage());
        case NOT_FOUND -> ApiException.notFound(e.getMessage());
        case CONFLICT -> new ApiException(409, "conflict", e.getMessage());
      };
    }
    return ApiResponse.ok(
        views
            .object()
            .put("thingName", result.thing())
            .put("action", result.action().name())
            .put("alreadyApplied", result.alreadyApplied())
            .put("detail", result.detail()));
  }
}
