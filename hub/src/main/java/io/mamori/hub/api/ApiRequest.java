package io.mamori.hub.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One admin API request as a route sees it: the captured path parameters and the body, with
 * accessors that turn missing or mistyped fields into 400 answers naming the field.
 */
final class ApiRequest {
  private final Map<String, String> pathParameters;
  private final byte[] body;
  private final ObjectMapper json;
  private final Map<String, String> queryParameters;

  ApiRequest(Map<String, String> pathParameters, byte[] body, ObjectMapper json) {
    this(pathParameters, body, json, Map.of());
  }

  ApiRequest(
      Map<String, String> pathParameters,
      byte[] body,
      ObjectMapper json,
      Map<String, String> queryParameters) {
    this.pathParameters = Map.copyOf(pathParameters);
    this.body = body.clone();
    this.json = json;
    this.queryParameters = Map.copyOf(queryParameters);
  }

  /** A query parameter ({@code ?name=value}); empty when absent. */
  Optional<String> query(String name) {
    return Optional.ofNullable(queryParameters.get(name));
  }

  /** Decodes a raw query string; a repeated name keeps its first value. */
  static Map<String, String> parseQuery(String rawQuery) {
    Map<String, String> values = new LinkedHashMap<>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return values;
    }
    for (String pair : rawQuery.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int equals = pair.indexOf('=');
      String name = equals < 0 ? pair : pair.substring(0, equals);
      String value = equals < 0 ? "" : pair.substring(equals + 1);
      try {
        values.putIfAbsent(
            java.net.URLDecoder.decode(name, java.nio.charset.StandardCharsets.UTF_8),
            java.net.URLDecoder.decode(value, java.nio.charset.StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        throw ApiException.badRequest("malformed percent-encoding in the query string");
      }
    }
    return values;
  }

  String path(String name) {
    String value = pathParameters.get(name);
    if (value == null) {
      throw new IllegalStateException("route has no path parameter " + name);
    }
    return value;
  }

  /** True when the matched route captured this path parameter. */
  boolean hasPath(String name) {
    return pathParameters.containsKey(name);
  }

  /** Whether the request has a body at all (optional bodies). */
  /** The raw body (uploads); JSON routes use {@link #jsonObject()}. */
  byte[] body() {
    return body.clone();
  }

  boolean hasBody() {
    return body.length > 0;
  }

  /** The body as a JSON object; 400 when it is empty, not JSON, or not an object. */
  ObjectNode jsonObject() {
    if (body.length == 0) {
      throw new ApiException(400, "invalid_json", "request body must be a JSON object");
    }
    JsonNode node;
    try {
      node = json.readTree(body);
    } catch (JsonProcessingException e) {
      throw new ApiException(
          400, "invalid_json", "request body is not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new ApiException(400, "invalid_json", "request body cannot be read");
    }
    if (node == null || !node.isObject()) {
      throw new ApiException(400, "invalid_json", "request body must be a JSON object");
    }
    return (ObjectNode) node;
  }

  static String requiredText(ObjectNode object, String field) {
    return optionalText(object, field)
        .orElseThrow(() -> ApiException.badRequest("field '" + field + "' is required"));
  }

  static Optional<String> optionalText(ObjectNode object, String field) {
    JsonNode node = object.get(field);
    if (node == null || node.isNull()) {
      return Optional.empty();
    }
    if (!node.isTextual()) {
      throw ApiException.badRequest("field '" + field + "' must be a string");
    }
    return Optional.of(node.textValue());
  }

  static Optional<Integer> optionalInt(ObjectNode object, String field) {
    JsonNode node = object.get(field);
    if (node == null || node.isNull()) {
      return Optional.empty();
    }
    if (!node.isIntegralNumber() || !node.canConvertToInt()) {
      throw ApiException.badRequest("field '" + field + "' must be an integer");
    }
    return Optional.of(node.intValue());
  }

  static Optional<Boolean> optionalBoolean(ObjectNode object, String field) {
    JsonNode node = object.get(field);
    if (node == null || node.isNull()) {
      return Optional.empty();
    }
    if (!node.isBoolean()) {
      throw ApiException.badRequest("field '" + field + "' must be true or false");
    }
    return Optional.of(node.booleanValue());
  }

  /** A JSON object of string values, e.g. thing attributes; empty map when absent. */
  static Map<String, String> optionalStringMap(ObjectNode object, String field) {
    JsonNode node = object.get(field);
    if (node == null || node.isNull()) {
      return Map.of();
    }
    if (!node.isObject()) {
      throw ApiException.badRequest("field '" + field + "' must be an object of strings");
    }
    Map<String, String> values = new LinkedHashMap<>();
    for (var entry : node.properties()) {
      if (!entry.getValue().isTextual()) {
        throw ApiException.badRequest(
            "field '" + field + "." + entry.getKey() + "' must be a string");
      }
      values.put(entry.getKey(), entry.getValue().textValue());
    }
    return values;
  }
}
