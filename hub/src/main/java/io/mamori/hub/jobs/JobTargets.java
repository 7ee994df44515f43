package io.mamori.hub.jobs;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The things and thing groups a job targets, by name. */
public record JobTargets(Set<String> things, Set<String> groups) {
  private static final String GROUP_PREFIX = "group:";

  public JobTargets {
    things = Set.copyOf(things);
    groups = Set.copyOf(groups);
  }

  public boolean isEmpty() {
    return things.isEmpty() && groups.isEmpty();
  }

  /**
   * Parses the CLI's list: {@code group:NAME} names a thing group, anything else a thing. Blank
   * entries are refused rather than skipped, so a typo like {@code a,,b} is noticed.
   */
  public static JobTargets parse(List<String> entries) {
    Set<String> things = new LinkedHashSet<>();
    Set<String> groups = new LinkedHashSet<>();
    for (String entry : entries) {
      String trimmed = entry.strip();
      if (trimmed.startsWith(GROUP_PREFIX)) {
        String group = trimmed.substring(GROUP_PREFIX.length());
        if (group.isEmpty()) {
          throw new IllegalArgumentException("empty group name in target '" + entry + "'");
        }
        groups.add(group);
      } else if (trimmed.isEmpty()) {
        throw new IllegalArgumentException("empty target in list");
      } else {
        things.add(trimmed);
      }
    }
    return new JobTargets(things, groups);
  }
}
