package io.mamori.hub.groups;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A thing type (reference §9.1): an immutable name with a description and up to three searchable
 * attributes; a deprecated type takes no new things.
 */
public record ThingType(
    String name,
    Optional<String> description,
    List<String> searchableAttributes,
    Optional<Instant> deprecatedAt,
    Instant createdAt) {
  public ThingType {
    searchableAttributes = List.copyOf(searchableAttributes);
  }

  public boolean deprecated() {
    return deprecatedAt.isPresent();
  }
}
