package io.mamori.hub.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mamori.hub.provisioning.ProvisioningTemplate;
import io.mamori.hub.provisioning.ProvisioningTemplateService;
import java.util.Optional;

/** {@code /api/v1/provisioning-templates}: fleet-provisioning templates (reference §1.4). */
final class ProvisioningTemplateRoutes {
  private static final String BASE = "/api/v1/provisioning-templates";

  private final ProvisioningTemplateService templates;
  private final Representations views;

  ProvisioningTemplateRoutes(ProvisioningTemplateService templates, Representations views) {
    this.templates = templates;
    this.views = views;
  }

  void register(Router router) {
    router
        .add("GET", BASE, request -> list())
        .add("POST", BASE, this::create)
        .add("GET", BASE + "/{name}", this::show)
        .add("PUT", BASE + "/{name}", this::update)
        .add("DELETE", BASE + "/{name}", this::delete);
  }

  private ApiResponse list() {
    ObjectNode node = views.object();
    var items = node.putArray("templates");
    templates.list().forEach(t -> items.add(view(t, false)));
    return ApiResponse.ok(node);
  }

  private ApiResponse show(ApiRequest request) {
    return ApiResponse.ok(view(templates.get(request.path("name")), true));
  }

  private ApiResponse create(ApiRequest request) {
    ObjectNode body = request.jsonObject();
    var template =
        templates.create(
            ApiRequest.requiredText(body, "name"),
            document(body).orElseThrow(() -> ApiException.badRequest("field 'body' is required")),
            ApiRequest.optionalText(body, "description").orElse(""),
            ApiRequest.optionalBoolean(body, "enabled").orElse(false),
            ApiRequest.optionalText(body, "preProvisioningHook").filter(h -> !h.isEmpty()),
            AdminApiServer.ACTOR);
    return ApiResponse.created(view(template, true));
  }

  private ApiResponse update(ApiRequest request) {
    ObjectNode body = request.jsonObject();
    var template =
        templates.update(
            request.path("name"),
            new ProvisioningTemplateService.Changes(
                document(body),
                ApiRequest.optionalText(body, "description"),
                ApiRequest.optionalBoolean(body, "enabled"),
                ApiRequest.optionalText(body, "preProvisioningHook")),
            AdminApiServer.ACTOR);
    return ApiResponse.ok(view(template, true));
  }

  private ApiResponse delete(ApiRequest request) {
    templates.delete(request.path("name"), AdminApiServer.ACTOR);
    return ApiResponse.noContent();
  }

  /** The template body: a JSON string taken verbatim, or an object (convenient with curl). */
  private static Optional<String> document(ObjectNode body) {
    JsonNode node = body.get("body");
    if (node == null || node.isNull()) {
      return Optional.empty();
    }
    if (node.isTextual()) {
      return Optional.of(node.textValue());
    }
    if (node.isObject()) {
      return Optional.of(node.toString());
    }
    throw ApiException.badRequest("field 'body' must be a JSON object or a string holding one");
  }

  private ObjectNode view(ProvisioningTemplate template, boolean withBody) {
    ObjectNode node = views.object();
    node.put("name", template.name());
    node.put("description", template.description());
    node.put("enabled", template.enabled());
    template.preProvisioningHook().ifPresent(h -> node.put("preProvisioningHook", h));
    node.put("version", template.version());
    node.put("createdAt", template.createdAt().toString());
    node.put("updatedAt", template.updatedAt().toString());
    if (withBody) {
      node.put("body", template.body());
    }
    return node;
  }
}
