package io.mamori.hub.webhooks;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Event type patterns of a webhook: an exact type ({@code certificate.revoked}), a prefix ending in
 * {@code .*} ({@code defender.*} matches {@code defender.alarm.active}), or {@code *} for all.
 */
public final class EventPatterns {
  private static final Pattern VALID = Pattern.compile("\\*|[a-z0-9-]+(\\.[a-z0-9-]+)*(\\.\\*)?");

  private EventPatterns() {}

  /**
   * @throws IllegalArgumentException naming the first pattern that is not of the forms above
   */
  public static List<String> parse(String commaSeparated) {
    List<String> patterns =
        java.util.Arrays.stream(commaSeparated.split(","))
            .map(String::strip)
            .filter(s -> !s.isEmpty())
            .distinct()
            .toList();
    if (patterns.isEmpty()) {
      throw new IllegalArgumentException(
          "events must name at least one event type or pattern, e.g. 'defender.*'");
    }
    for (String pattern : patterns) {
      if (!VALID.matcher(pattern).matches()) {
        throw new IllegalArgumentException(
            "'"
                + pattern
                + "' is not an event pattern: use a type like certificate.revoked,"
                + " a prefix like defender.*, or *");
      }
    }
    return patterns;
  }

  static boolean matches(List<String> patterns, String type) {
    for (String pattern : patterns) {
      if (pattern.equals("*") || pattern.equals(type)) {
        return true;
      }
      if (pattern.endsWith(".*") && type.startsWith(pattern.substring(0, pattern.length() - 1))) {
        return true;
      }
    }
    return false;
  }
}
