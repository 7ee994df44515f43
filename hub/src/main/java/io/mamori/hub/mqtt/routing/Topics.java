package io.mamori.hub.mqtt.routing;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** Validation and matching rules of MQTT topic names and topic filters. */
public final class Topics {
  private Topics() {}

  /**
   * Why a topic name cannot be published to, or empty when it is valid.
   *
   * <p>MQTT 3.1.1 §4.7.3: at least one character, no wildcards, no U+0000; AWS §7.2: at most {@code
   * maxBytes} UTF-8 bytes.
   */
  public static Optional<String> invalidTopicName(String topic, int maxBytes) {
    if (topic == null || topic.isEmpty()) {
      return Optional.of("empty topic");
    }
    if (topic.indexOf('+') >= 0 || topic.indexOf('#') >= 0) {
      return Optional.of("wildcard in topic name");
    }
    return invalidCommon(topic, maxBytes);
  }

  /**
   * Why a topic filter cannot be subscribed to, or empty when it is valid.
   *
   * <p>MQTT 3.1.1 §4.7.1: {@code #} only as the whole last level, {@code +} only as a whole level.
   */
  public static Optional<String> invalidTopicFilter(String filter, int maxBytes) {
    if (filter == null || filter.isEmpty()) {
      return Optional.of("empty topic filter");
    }
    String[] levels = filter.split("/", -1);
    for (int i = 0; i < levels.length; i++) {
      String level = levels[i];
      if (level.contains("#") && (!level.equals("#") || i != levels.length - 1)) {
        return Optional.of("'#' must be the whole last level");
      }
      if (level.contains("+") && !level.equals("+")) {
        return Optional.of("'+' must be a whole level");
      }
    }
    return invalidCommon(filter, maxBytes);
  }

  private static Optional<String> invalidCommon(String value, int maxBytes) {
    if (value.indexOf('\u0000') >= 0) {
      return Optional.of("NUL character");
    }
    if (value.getBytes(StandardCharsets.UTF_8).length > maxBytes) {
      return Optional.of("longer than " + maxBytes + " bytes");
    }
    return Optional.empty();
  }

  /** True when the filter contains no wildcard, i.e. names exactly one topic. */
  public static boolean isExact(String filter) {
    return filter.indexOf('+') < 0 && filter.indexOf('#') < 0;
  }

  /** True for reserved topics ({@code $aws/...}, {@code $SYS/...}). */
  public static boolean isReserved(String topic) {
    return topic.startsWith("$");
  }

  /**
   * Whether a valid filter matches a valid topic name, with the same rules as {@link
   * SubscriptionTrie}: AWS §7.1 {@code #} does not match the parent level, MQTT §4.7.2 leading
   * wildcards do not match {@code $} topics.
   */
  public static boolean matches(String filter, String topic) {
    String[] f = filter.split("/", -1);
    String[] t = topic.split("/", -1);
    if (isReserved(topic) && (f[0].equals("+") || f[0].equals("#"))) {
      return false;
    }
    for (int i = 0; i < f.length; i++) {
      if (f[i].equals("#")) {
        return t.length > i;
      }
      if (i >= t.length || !(f[i].equals("+") || f[i].equals(t[i]))) {
        return false;
      }
    }
    return f.length == t.length;
  }
}
