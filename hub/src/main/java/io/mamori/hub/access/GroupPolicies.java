package io.mamori.hub.access;

import io.mamori.hub.registry.Policy;
import java.util.List;

/**
 * The policies a thing gets through its thing groups: those attached to its static groups and to
 * all their ancestors (reference §5.1, §9.2), default versions.
 */
@FunctionalInterface
public interface GroupPolicies {
  /** A hub without thing groups. */
  GroupPolicies NONE = thing -> List.of();

  List<Policy> policiesOfThing(String thingName);
}
