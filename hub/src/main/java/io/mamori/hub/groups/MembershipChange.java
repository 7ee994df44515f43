package io.mamori.hub.groups;

import java.util.Set;

/**
 * A thing's groups changed (in the sense of {@link ThingGroups#groupsOf}, ancestors included).
 *
 * @param joined groups it is in now and was not before
 * @param left groups it was in and is not any more (all of them when the thing was deleted)
 */
public record MembershipChange(String thing, Set<String> joined, Set<String> left) {
  public MembershipChange {
    joined = Set.copyOf(joined);
    left = Set.copyOf(left);
  }
}
