package io.mamori.hub.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mamori.hub.detect.Alarm;
import io.mamori.hub.detect.AlarmChange;
import io.mamori.hub.detect.Alarms;
import io.mamori.hub.detect.DetectException;
import io.mamori.hub.detect.ProfileDocuments;
import io.mamori.hub.detect.SecurityProfiles;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Detect over REST: security profiles ({@code /api/v1/defender/security-profiles}, attached to a
 * thing group or all things through {@code .../targets}) and alarms ({@code
 * /api/v1/defender/alarms}, verified or dismissed by an operator with a note).
 */
final class DetectRoutes {
  private static final String PROFILES = "/api/v1/defender/security-profiles";
  private static final String PROFILE = PROFILES + "/{name}";
  private static final String ALARMS = "/api/v1/defender/alarms";
  private static final String ALARM = ALARMS + "/{id}";

  private final SecurityProfiles profiles;
  private final Alarms alarms;
  private final Representations views;

  DetectRoutes(SecurityProfiles profiles, Alarms alarms, Representations views) {
    this.profiles = profiles;
    this.alarms = alarms;
    this.views = views;
  }

  void register(Router router) {
    router
        .add("GET", PROFILES, r -> guard(this::listProfiles))
        .add("POST", PROFILES, r -> guard(() -> createProfile(r)))
        .add("GET", PROFILE, r -> guard(() -> ok(profiles.get(r.path("name")))))
        .add(
            "PUT",
            PROFILE,
            r ->
                guard(
                    () ->
                        ok(profiles.update(r.path("name"), r.jsonObject(), AdminApiServer.ACTOR))))
        .add(
            "DELETE",
            PROFILE,
            r ->
                guard(
                    () -> {
                      profiles.delete(r.path("name"), AdminApiServer.ACTOR);
                      return ApiResponse.noContent();
                    }))
        .add(
            "POST",
            PROFILE + "/targets",
            r -> guard(() -> ok(profiles.attach(r.path("name"), target(r), AdminApiServer.ACTOR))))
        .add(
            "DELETE",
            PROFILE + "/targets",
            r -> guard(() -> ok(profiles.detach(r.path("name"), target(r), AdminApiServer.ACTOR))))
        .add("GET", ALARMS, r -> guard(() -> listAlarms(r)))
        .add("GET", ALARM, r -> guard(() -> ApiResponse.ok(alarmWithHistory(r.path("id")))))
        .add(
            "POST",
            ALARM + "/verify",
            r ->
                guard(
                    () -> {
                      String note = ApiRequest.requiredText(r.jsonObject(), "note");
                      alarms.verify(r.path("id"), note, AdminApiServer.ACTOR);
                      return ApiResponse.ok(alarmWithHistory(r.path("id")));
                    }))
        .add(
            "POST",
            ALARM + "/dismiss",
            r ->
                guard(
                    () -> {
                      String note = ApiRequest.requiredText(r.jsonObject(), "note");
                      alarms.dismiss(r.path("id"), note, AdminApiServer.ACTOR);
                      return ApiResponse.ok(alarmWithHistory(r.path("id")));
                    }));
  }

  /** {@code {"group": "NAME"}} or {@code {"allThings": true}}: exactly one. */
  private static Optional<String> target(ApiRequest request) {
    ObjectNode body = request.jsonObject();
    Optional<String> group = ApiRequest.optionalText(body, "group");
    boolean all = ApiRequest.optionalBoolean(body, "allThings").orElse(false);
    if (group.isPresent() == all) {
      throw ApiException.badRequest("give exactly one of 'group' or 'allThings': true");
    }
    return group;
  }

  private ApiResponse createProfile(ApiRequest request) {
    ObjectNode body = request.jsonObject();
    String name = ApiRequest.requiredText(body, "name");
    return ApiResponse.created(
        ProfileDocuments.write(profiles.create(name, body, AdminApiServer.ACTOR)));
  }

  private ApiResponse listProfiles() {
    ObjectNode body = views.object();
    var items = body.putArray("securityProfiles");
    profiles.list().forEach(p -> items.add(ProfileDocuments.write(p)));
    return ApiResponse.ok(body);
  }

  private ApiResponse listAlarms(ApiRequest request) {
    String active = request.query("active").orElse("false");
    if (!active.equals("true") && !active.equals("false")) {
      throw ApiException.badRequest("active must be true or false");
    }
    ObjectNode body = views.object();
    var items = body.putArray("alarms");
    alarms.list(active.equals("true")).forEach(a -> items.add(view(a)));
    return ApiResponse.ok(body);
  }

  private ObjectNode alarmWithHistory(String id) {
    ObjectNode out = view(alarms.get(id));
    var history = out.putArray("history");
    for (AlarmChange c : alarms.history(id)) {
      history
          .addObject()
          .put("at", c.at().toString())
          .put("change", c.change())
          .put("actor", c.actor())
          .put("note", c.note())
          .put("value", c.value());
    }
    return out;
  }

  private ObjectNode view(Alarm a) {
    return views
        .object()
        .put("id", a.id())
        .put("thingName", a.thing())
        .put("securityProfileName", a.profile())
        .put("behaviorName", a.behavior())
        .put("metric", a.metric())
        .put("state", a.state().name())
        .put("value", a.value())
        .put("threshold", a.threshold())
        .put("verificationState", a.verification().name())
        .put("verificationNote", a.verificationNote())
        .put("raisedAt", a.raisedAt().toString())
        .put("updatedAt", a.updatedAt().toString());
  }

  private static ApiResponse ok(io.mamori.hub.detect.SecurityProfile profile) {
    return ApiResponse.ok(ProfileDocuments.write(profile));
  }

  /** Detect's refusals as HTTP answers: 400 with the reason, 404, 409. */
  private static ApiResponse guard(Supplier<ApiResponse> route) {
    try {
      return route.get();
    } catch (DetectException e) {
      throw switch (e.kind()) {
        case INVALID -> ApiException.badRequest(e.getMessage());
        case NOT_FOUND -> ApiException.notFound(e.getMessage());
        case CONFLICT -> new ApiException(409, "conflict", e.getMessage());
      };
    }
  }
}
