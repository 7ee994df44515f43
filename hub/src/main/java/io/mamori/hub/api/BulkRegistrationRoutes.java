package io.mamori.hub.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mamori.hub.provisioning.BulkRegistration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code POST /api/v1/provisioning-templates/{name}/bulk}: registers up to 500 devices through a
 * template in one synchronous call (loosely AWS StartThingRegistrationTask; the CLI chunks files).
 */
final class BulkRegistrationRoutes {
  private final BulkRegistration bulk;
  private final Representations views;

  BulkRegistrationRoutes(BulkRegistration bulk, Representations views) {
    this.bulk = bulk;
    this.views = views;
  }

  void register(Router router) {
    router.add("POST", "/api/v1/provisioning-templates/{name}/bulk", this::register);
  }

  /**
   * Body {@code {"lines": [{"line": 1, "parameters": {...}, "certificateSigningRequest": PEM},
   * ...]}} (or {@code "certificatePem"} instead of the CSR).
   */
  private ApiResponse register(ApiRequest request) {
    ObjectNode body = request.jsonObject();
    JsonNode items = body.get("lines");
    if (items == null || !items.isArray()) {
      throw ApiException.badRequest("field 'lines' must be a list");
    }
    List<BulkRegistration.Line> lines = new ArrayList<>();
    for (JsonNode item : items) {
      int number = item.path("line").asInt(lines.size() + 1);
      if (!item.isObject()) {
        throw ApiException.badRequest("lines[" + lines.size() + "] must be an object");
      }
      lines.add(
          new BulkRegistration.Line(
              number,
              parameters(item, number),
              text(item, "certificateSigningRequest"),
              text(item, "certificatePem")));
    }
    var results = bulk.register(request.path("name"), lines, AdminApiServer.ACTOR);
    ObjectNode node = views.object();
    var out = node.putArray("results");
    for (BulkRegistration.Result result : results) {
      ObjectNode r = out.addObject();
      r.put("line", result.line());
      result.thingName().ifPresent(t -> r.put("thingName", t));
      result.certificateId().ifPresent(c -> r.put("certificateId", c));
      r.put("status", result.status().name());
      if (!result.reason().isEmpty()) {
        r.put("reason", result.reason());
      }
      result.certificatePem().ifPresent(p -> r.put("certificatePem", p));
    }
    return ApiResponse.ok(node);
  }

  private static Optional<String> text(JsonNode item, String field) {
    JsonNode value = item.get(field);
    return value != null && value.isTextual() && !value.asText().isBlank()
        ? Optional.of(value.asText())
        : Optional.empty();
  }

  private static Map<String, String> parameters(JsonNode item, int number) {
    var out = new LinkedHashMap<String, String>();
    JsonNode node = item.path("parameters");
    if (node.isMissingNode() || node.isNull()) {
      return out;
    }
    if (!node.isObject()) {
      throw ApiException.badRequest("line " + number + ": 'parameters' must be an object");
    }
    node.fields()
        .forEachRemaining(
            f -> {
              if (!f.getValue().isValueNode() || f.getValue().isNull()) {
                throw ApiException.badRequest(
                    "line " + number + ": parameters." + f.getKey() + " must be a string");
              }
              out.put(f.getKey(), f.getValue().asText());
            });
    return out;
  }
}
