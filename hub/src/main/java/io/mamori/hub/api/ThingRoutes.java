package io.mamori.hub.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mamori.hub.registry.CertificateService;
import io.mamori.hub.registry.ThingService;

/** {@code /api/v1/things}: create, list, show, change attributes of and delete things. */
final class ThingRoutes {
  private final ThingService things;
  private final CertificateService certificates;
  private final Representations views;

  ThingRoutes(ThingService things, CertificateService certificates, Representations views) {
    this.things = things;
    this.certificates = certificates;
    this.views = views;
  }

  void register(Router router) {
    router
        .add("GET", "/api/v1/things", request -> ApiResponse.ok(views.things(things.list())))
        .add("POST", "/api/v1/things", this::create)
        .add("GET", "/api/v1/things/{name}", this::show)
        .add("PATCH", "/api/v1/things/{name}", this::updateAttributes)
        .add("DELETE", "/api/v1/things/{name}", this::delete)
        .add("POST", "/api/v1/things/{name}/certificates", this::attachCertificate)
        .add("DELETE", "/api/v1/things/{name}/certificates/{certificateId}", this::detach);
  }

  private ApiResponse show(ApiRequest request) {
    var thing = things.get(request.path("name"));
    return ApiResponse.ok(views.thing(thing, things.certificatesOf(thing.name())));
  }

  private ApiResponse create(ApiRequest request) {
    ObjectNode body = request.jsonObject();
    var thing =
        things.create(
            ApiRequest.requiredText(body, "name"),
            ApiRequest.optionalStringMap(body, "attributes"),
            ApiRequest.optionalText(body, "thingType"),
            AdminApiServer.ACTOR);
    return ApiResponse.created(views.thing(thing));
  }

  /** AWS UpdateThing's attributePayload: merge by default; an empty value removes the key. */
  private ApiResponse updateAttributes(ApiRequest request) {
    ObjectNode body = request.jsonObject();
    if (!body.has("attributes")) {
      throw ApiException.badRequest("field 'attributes' is required");
    }
    var thing =
        things.updateAttributes(
            request.path("name"),
            ApiRequest.optionalStringMap(body, "attributes"),
            ApiRequest.optionalBoolean(body, "merge").orElse(true),
            AdminApiServer.ACTOR);
    return ApiResponse.ok(views.thing(thing));
  }

  private ApiResponse delete(ApiRequest request) {
    things.delete(request.path("name"), AdminApiServer.ACTOR);
    return ApiResponse.noContent();
  }

  private ApiResponse attachCertificate(ApiRequest request) {
    String certificateId = ApiRequest.requiredText(request.jsonObject(), "certificateId");
    certificates.attachThing(certificateId, request.path("name"), AdminApiServer.ACTOR);
    return ApiResponse.noContent();
  }

  private ApiResponse detach(ApiRequest request) {
    certificates.detachThing(
        request.path("certificateId"), request.path("name"), AdminApiServer.ACTOR);
    return ApiResponse.noContent();
  }
}
