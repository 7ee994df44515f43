package io.mamori.hub.groups;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * A thing group (reference §9.2, §9.3). A static group has an optional parent, fixed at creation,
 * and members added by the operator; a dynamic group has a fleet query instead, no parent and no
 * policies, and its members are the things the query matches now.
 *
 * @param queryString the fleet-indexing query of a dynamic group; empty for a static group
 * @param version incremented on every change of the group itself (not of its members)
 */
public record ThingGroup(
    String name,
    Optional<String> parent,
    Optional<String> description,
    Map<String, String> attributes,
    Optional<String> queryString,
    long version,
    Instant createdAt,
    Instant updatedAt) {
  public ThingGroup {
    attributes = Map.copyOf(attributes);
  }

  public boolean dynamic() {
    return queryString.isPresent();
  }
}
