package io.mamori.hub.groups;

import java.util.Set;

/**
 * Who is in which thing group, for other parts of the hub (jobs target groups and follow them in
 * continuous jobs). Static groups count the members of their sub-groups when asked recursively;
 * dynamic groups hold the things their query matches now.
 */
public interface ThingGroups {
  /**
   * The things in {@code group}: its direct members, and with {@code recursive} also those of all
   * its sub-groups. RegistryException NOT_FOUND when there is no such group.
   */
  Set<String> thingsIn(String group, boolean recursive);

  /**
   * Every group {@code thing} belongs to: its static groups with all their ancestors (a job that
   * targets a parent reaches it), and the dynamic groups that match it now.
   */
  Set<String> groupsOf(String thing);

  /** Registers a listener for every later change of {@link #groupsOf} of any thing. */
  void addListener(MembershipListener listener);
}
