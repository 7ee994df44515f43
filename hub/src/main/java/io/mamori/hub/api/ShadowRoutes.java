package io.mamori.hub.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mamori.hub.shadow.OperatorShadows;
import io.mamori.hub.shadow.ShadowKey;
import io.mamori.hub.shadow.ShadowRejection;
import io.mamori.hub.shadow.ShadowResult;

/**
 * {@code /api/v1/things/{name}/shadow} and {@code .../shadows/{shadowName}}: read, update and
 * delete device shadows. Bodies are AWS's shadow documents; a refusal carries AWS's message.
 */
final class ShadowRoutes {
  private static final String CLASSIC = "/api/v1/things/{name}/shadow";
  private static final String NAMED = "/api/v1/things/{name}/shadows/{shadowName}";

  private final OperatorShadows shadows;
  private final ObjectMapper json;

  ShadowRoutes(OperatorShadows shadows, ObjectMapper json) {
    this.shadows = shadows;
    this.json = json;
  }

  void register(Router router) {
    router
        .add("GET", CLASSIC, r -> answer(shadows.get(key(r))))
        .add("POST", CLASSIC, this::update)
        .add("DELETE", CLASSIC, r -> answer(shadows.delete(key(r), AdminApiServer.ACTOR)))
        .add("GET", "/api/v1/things/{name}/shadows", this::list)
        .add("GET", NAMED, r -> answer(shadows.get(key(r))))
        .add("POST", NAMED, this::update)
        .add("DELETE", NAMED, r -> answer(shadows.delete(key(r), AdminApiServer.ACTOR)));
  }

  private ApiResponse update(ApiRequest request) {
    ObjectNode body = request.jsonObject();
    try {
      return answer(
          shadows.update(key(request), json.writeValueAsBytes(body), AdminApiServer.ACTOR));
    } catch (JsonProcessingException e) {
      throw ApiException.badRequest("request body cannot be encoded");
    }
  }

  /** AWS ListNamedShadowsForThing's answer shape. */
  private ApiResponse list(ApiRequest request) {
    String thing = request.path("name");
    try {
      ObjectNode body = json.createObjectNode().put("thingName", thing);
      var results = body.putArray("results");
      shadows.namedShadows(thing).forEach(results::add);
      return ApiResponse.ok(body);
    } catch (ShadowRejection e) {
      throw new ApiException(e.code(), errorCode(e.code()), e.getMessage());
    }
  }

  private static ShadowKey key(ApiRequest request) {
    String thing = request.path("name");
    return request.hasPath("shadowName")
        ? ShadowKey.named(thing, request.path("shadowName"))
        : ShadowKey.classic(thing);
  }

  private static ApiResponse answer(ShadowResult result) {
    if (!result.accepted()) {
      throw new ApiException(
          result.code(), errorCode(result.code()), result.response().path("message").asText());
    }
    return ApiResponse.ok(result.response());
  }

  private static String errorCode(int status) {
    return switch (status) {
      case 400 -> "invalid_request";
      case 404 -> "not_found";
      case 409 -> "conflict";
      case 413 -> "payload_too_large";
      case 415 -> "unsupported_media_type";
      default -> "internal_error";
    };
  }
}
