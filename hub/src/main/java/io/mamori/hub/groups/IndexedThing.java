package io.mamori.hub.groups;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One thing as a fleet query sees it: registry fields, static groups, live connectivity and shadow
 * values. Each field yields zero or more values: strings, {@link BigDecimal} numbers or booleans.
 */
public record IndexedThing(
    String name,
    Optional<String> thingType,
    Map<String, String> attributes,
    Set<String> groups,
    ConnectivityState connectivity,
    ShadowValues shadow) {

  /** The values of {@code field} (a name {@link QueryField#parse} accepted). */
  List<Object> values(QueryField field) {
    return switch (field.kind()) {
      case THING_NAME -> List.of(name);
      case THING_TYPE_NAME -> thingType.<List<Object>>map(List::of).orElse(List.of());
      case THING_GROUP_NAMES -> List.copyOf(groups);
      case ATTRIBUTE -> {
        String value = attributes.get(field.key());
        yield value == null ? List.of() : List.of(value);
      }
      case CONNECTED -> List.of(connectivity.connected());
      case TIMESTAMP ->
          connectivity
              .timestamp()
              .<List<Object>>map(t -> List.of(BigDecimal.valueOf(t.toEpochMilli())))
              .orElse(List.of());
      case DISCONNECT_REASON ->
          connectivity.disconnectReason().<List<Object>>map(List::of).orElse(List.of());
      case SHADOW_REPORTED ->
          shadow.reported(name, field.key()).map(IndexedThing::jsonValues).orElse(List.of());
    };
  }

  /** Scalars as themselves, arrays as their scalar elements; objects and null have no value. */
  private static List<Object> jsonValues(JsonNode node) {
    List<Object> values = new ArrayList<>();
    if (node.isArray()) {
      node.forEach(element -> scalar(element).ifPresent(values::add));
    } else {
      scalar(node).ifPresent(values::add);
    }
    return values;
  }

  private static Optional<Object> scalar(JsonNode node) {
    if (node.isNumber()) {
      return Optional.of(node.decimalValue());
    }
    if (node.isBoolean()) {
      return Optional.of(node.booleanValue());
    }
    if (node.isTextual()) {
      return Optional.of(node.textValue());
    }
    return Optional.empty();
  }
}
