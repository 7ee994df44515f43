package io.mamori.hub.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * What a route answers: a status and, except for 204, a JSON body, or for the few routes that serve
 * another format (Prometheus metrics) a text body.
 */
record ApiResponse(int status, Optional<JsonNode> body, Optional<Text> text) {

  ApiResponse(int status, Optional<JsonNode> body) {
    this(status, body, Optional.empty());
  }

  /** A non-JSON body and its media type. */
  record Text(String contentType, byte[] bytes) {}

  static ApiResponse text(String contentType, String body) {
    return new ApiResponse(
        200,
        Optional.empty(),
        Optional.of(new Text(contentType, body.getBytes(java.nio.charset.StandardCharsets.UTF_8))));
  }

  static ApiResponse ok(JsonNode body) {
    return new ApiResponse(200, Optional.of(body));
  }

  static ApiResponse created(JsonNode body) {
    return new ApiResponse(201, Optional.of(body));
  }

  static ApiResponse noContent() {
    return new ApiResponse(204, Optional.empty());
  }
}
