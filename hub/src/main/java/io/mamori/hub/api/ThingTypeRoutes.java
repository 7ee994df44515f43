package io.mamori.hub.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mamori.hub.groups.ThingType;
import io.mamori.hub.groups.ThingTypeService;
import java.util.ArrayList;
import java.util.List;

/** {@code /api/v1/thing-types}: create, list, show, deprecate and delete thing types. */
final class ThingTypeRoutes {
  private final ThingTypeService types;
  private final Representations views;

  ThingTypeRoutes(ThingTypeService types, Representations views) {
    this.types = types;
    this.views = views;
  }

  void register(Router router) {
    router
        .add("GET", "/api/v1/thing-types", this::list)
        .add("POST", "/api/v1/thing-types", this::create)
        .add(
            "GET",
            "/api/v1/thing-types/{name}",
            r -> ApiResponse.ok(view(types.get(r.path("name")))))
        .add("POST", "/api/v1/thing-types/{name}/deprecate", this::deprecate)
        .add("DELETE", "/api/v1/thing-types/{name}", this::delete);
  }

  private ApiResponse list(ApiRequest request) {
    ObjectNode node = views.object();
    ArrayNode items = node.putArray("thingTypes");
    types.list().forEach(t -> items.add(view(t)));
    return ApiResponse.ok(node);
  }

  private ApiResponse create(ApiRequest request) {
    ObjectNode body = request.jsonObject();
    var type =
        types.create(
            ApiRequest.requiredText(body, "name"),
            ApiRequest.optionalText(body, "description"),
            strings(body, "searchableAttributes"),
            AdminApiServer.ACTOR);
    return ApiResponse.created(view(type));
  }

  /** AWS DeprecateThingType: {@code {"undo": true}} undeprecates. */
  private ApiResponse deprecate(ApiRequest request) {
    boolean undo = false;
    if (request.hasBody()) {
      undo = ApiRequest.optionalBoolean(request.jsonObject(), "undo").orElse(false);
    }
    return ApiResponse.ok(view(types.deprecate(request.path("name"), undo, AdminApiServer.ACTOR)));
  }

  private ApiResponse delete(ApiRequest request) {
    types.delete(request.path("name"), AdminApiServer.ACTOR);
    return ApiResponse.noContent();
  }

  private ObjectNode view(ThingType type) {
    ObjectNode node = views.object().put("name", type.name());
    type.description().ifPresent(d -> node.put("description", d));
    ArrayNode searchable = node.putArray("searchableAttributes");
    type.searchableAttributes().forEach(searchable::add);
    node.put("deprecated", type.deprecated());
    type.deprecatedAt().ifPresent(at -> node.put("deprecatedAt", at.toString()));
    return node.put("createdAt", type.createdAt().toString());
  }

  /** A JSON array of strings; empty when absent. */
  static List<String> strings(ObjectNode body, String field) {
    JsonNode node = body.get(field);
    if (node == null || node.isNull()) {
      return List.of();
    }
    if (!node.isArray()) {
      throw ApiException.badRequest("field '" + field + "' must be an array of strings");
    }
    List<String> values = new ArrayList<>();
    for (JsonNode element : node) {
      if (!element.isTextual()) {
        throw ApiException.badRequest("field '" + field + "' must be an array of strings");
      }
      values.add(element.textValue());
    }
    return values;
  }
}
