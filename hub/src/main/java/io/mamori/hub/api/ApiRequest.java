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

  ApiRequest(Map<String, String> pathParameters, byte[] body, ObjectMapper json) {
    this.pathParameters = Map.copyOf(pathParameters);
    this.body = body.clone();
    this.json = json;
  }

  String path(String name) {
    String value = pathParameters.get(name);
    if (value == null) {
      throw new IllegalStateException("route has no path parameter " + name);
    }
    return value;
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
