package io.mamori.hub.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import java.util.TreeMap;

/**
 * The attributes column of things and thing groups: one JSON object per row, keys sorted so that
 * equal attributes are stored as equal text.
 */
final class AttributesJson {
  private static final TypeReference<TreeMap<String, String>> ATTRIBUTES = new TypeReference<>() {};

  private final ObjectMapper json = new ObjectMapper();

  String write(Map<String, String> attributes) {
    try {
      return json.writeValueAsString(new TreeMap<>(attributes));
    } catch (JsonProcessingException e) {
      throw new StoreException(StoreException.Kind.FAILURE, "cannot encode attributes", e);
    }
  }

  Map<String, String> read(String text) {
    try {
      return json.readValue(text, ATTRIBUTES);
    } catch (JsonProcessingException e) {
      throw new StoreException(StoreException.Kind.FAILURE, "stored attributes are not JSON", e);
    }
  }
}
