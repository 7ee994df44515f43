package io.mamori.hub.registry;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * A device as the registry knows it.
 *
 * @param name unique thing name (1-128 chars of {@code [a-zA-Z0-9:_-]})
 * @param thingType optional thing type name
 * @param attributes free key/value attributes, used by policy variables
 * @param version incremented on every change
 */
public record Thing(
    String name,
    Optional<String> thingType,
    Map<String, String> attributes,
    long version,
    Instant createdAt,
    Instant updatedAt) {
  public Thing {
    attributes = Map.copyOf(attributes);
  }
}
