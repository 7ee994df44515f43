package io.mamori.hub.shadow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Comparator;
import java.util.Map;

/**
 * The AWS shadow rules on JSON trees (reference §4.2, §4.3): partial merge where {@code null}
 * deletes, metadata timestamps per leaf, and the delta between desired and reported. Pure
 * functions; the service decides when to apply them.
 */
final class ShadowDocuments {
  static final String DESIRED = "desired";
  static final String REPORTED = "reported";
  static final String TIMESTAMP = "timestamp";

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** Numbers compare by value, so a desired 1 equals a reported 1.0. */
  private static final Comparator<JsonNode> BY_VALUE =
      (a, b) -> {
        if (a.isNumber() && b.isNumber()) {
          return a.decimalValue().compareTo(b.decimalValue());
        }
        return a.equals(b) ? 0 : 1;
      };

  private ShadowDocuments() {}

  /**
   * Applies the request's {@code state} to a copy of {@code state}/{@code metadata}: a section set
   * to {@code null} is removed, otherwise it is merged key by key.
   */
  static void apply(ObjectNode state, ObjectNode metadata, ObjectNode requestState, long now) {
    for (String section : new String[] {DESIRED, REPORTED}) {
      JsonNode patch = requestState.get(section);
      if (patch == null) {
        continue;
      }
      if (patch.isNull()) {
        state.remove(section);
        metadata.remove(section);
        continue;
      }
      merge(objectAt(state, section), (ObjectNode) patch, objectAt(metadata, section), now);
    }
  }

  /**
   * Recursive partial merge: objects merge, arrays and scalars replace, {@code null} deletes the
   * key (and its metadata). Each value written gets fresh metadata.
   */
  static void merge(ObjectNode target, ObjectNode patch, ObjectNode metadata, long now) {
    for (Map.Entry<String, JsonNode> entry : patch.properties()) {
      String key = entry.getKey();
      JsonNode value = entry.getValue();
      if (value.isNull()) {
        target.remove(key);
        metadata.remove(key);
      } else if (value.isObject()) {
        if (!(target.get(key) instanceof ObjectNode)) {
          target.putObject(key);
          metadata.remove(key);
        }
        merge((ObjectNode) target.get(key), (ObjectNode) value, objectAt(metadata, key), now);
      } else {
        target.set(key, value.deepCopy());
        metadata.set(key, metadataOf(value, now));
      }
    }
  }

  /**
   * The metadata tree of a value: objects map key by key, arrays element by element, every other
   * value (also {@code null}, as an update's echo reports when a key was deleted) is {@code
   * {"timestamp": now}}.
   */
  static JsonNode metadataOf(JsonNode value, long now) {
    if (value.isObject()) {
      ObjectNode out = NODES.objectNode();
      value.properties().forEach(e -> out.set(e.getKey(), metadataOf(e.getValue(), now)));
      return out;
    }
    if (value.isArray()) {
      ArrayNode out = NODES.arrayNode();
      value.forEach(element -> out.add(metadataOf(element, now)));
      return out;
    }
    return NODES.objectNode().put(TIMESTAMP, now);
  }

  /**
   * Every desired value that reported lacks or holds differently; nested differences keep their
   * path from the root, arrays are compared and copied whole, reported-only keys are left out.
   */
  static ObjectNode delta(JsonNode desired, JsonNode reported) {
    ObjectNode out = NODES.objectNode();
    if (desired == null || !desired.isObject()) {
      return out;
    }
    for (Map.Entry<String, JsonNode> entry : desired.properties()) {
      JsonNode want = entry.getValue();
      JsonNode have = reported == null ? null : reported.get(entry.getKey());
      if (want.isObject() && have != null && have.isObject()) {
        ObjectNode nested = delta(want, have);
        if (!nested.isEmpty()) {
          out.set(entry.getKey(), nested);
        }
      } else if (have == null || !want.equals(BY_VALUE, have)) {
        out.set(entry.getKey(), want.deepCopy());
      }
    }
    return out;
  }

  /** True when the delta touches a key this request's desired section set (not deleted). */
  static boolean touches(JsonNode delta, JsonNode requestDesired) {
    if (requestDesired == null || !requestDesired.isObject()) {
      return false;
    }
    for (Map.Entry<String, JsonNode> entry : requestDesired.properties()) {
      JsonNode changed = delta.get(entry.getKey());
      if (changed == null || entry.getValue().isNull()) {
        continue;
      }
      if (!entry.getValue().isObject()
          || !changed.isObject()
          || touches(changed, entry.getValue())) {
        return true;
      }
    }
    return false;
  }

  /** The part of {@code metadata} on the paths of {@code tree} (used for the delta's metadata). */
  static ObjectNode project(JsonNode tree, JsonNode metadata) {
    ObjectNode out = NODES.objectNode();
    if (metadata == null || !metadata.isObject()) {
      return out;
    }
    for (Map.Entry<String, JsonNode> entry : tree.properties()) {
      JsonNode meta = metadata.get(entry.getKey());
      if (meta == null) {
        continue;
      }
      out.set(
          entry.getKey(),
          entry.getValue().isObject() && meta.isObject()
              ? project(entry.getValue(), meta)
              : meta.deepCopy());
    }
    return out;
  }

  /** Levels of objects and arrays inside a value: 0 for a scalar, 1 for {@code {"a": 1}}. */
  static int depth(JsonNode value) {
    int deepest = 0;
    if (value.isContainerNode()) {
      for (JsonNode child : value) {
        deepest = Math.max(deepest, depth(child));
      }
      return deepest + 1;
    }
    return 0;
  }

  /** True when some array inside the value holds a {@code null} (AWS refuses those). */
  static boolean hasNullInArray(JsonNode value) {
    if (value.isArray()) {
      for (JsonNode element : value) {
        if (element.isNull() || hasNullInArray(element)) {
          return true;
        }
      }
    } else if (value.isObject()) {
      for (JsonNode child : value) {
        if (hasNullInArray(child)) {
          return true;
        }
      }
    }
    return false;
  }

  private static ObjectNode objectAt(ObjectNode parent, String key) {
    return parent.get(key) instanceof ObjectNode existing ? existing : parent.putObject(key);
  }
}
