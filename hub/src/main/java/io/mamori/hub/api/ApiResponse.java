package io.mamori.hub.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/** What a route answers: a status and, except for 204, a JSON body. */
record ApiResponse(int status, Optional<JsonNode> body) {

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
