package io.mamori.hub.detect;

import java.util.Optional;

/**
 * When a behaviour is violated (reference §8.3 {@code criteria}). Exactly one kind of threshold: a
 * static {@code value}, a fleet {@code statistic} (percentile such as {@code p90} of all devices of
 * the profile over the window), or a learned per-device baseline ({@code mlDetectionConfig}).
 *
 * @param operator how value and threshold compare; for a baseline always {@code less-than-equals}
 * @param value the static threshold
 * @param statistic the percentile name, e.g. {@code p90}
 * @param confidence baseline confidence {@code LOW|MEDIUM|HIGH}
 * @param durationSeconds the window a cloud-side metric is summed over
 * @param datapointsToAlarm consecutive violating datapoints before the alarm goes active
 * @param datapointsToClear consecutive normal datapoints before an active alarm clears
 */
public record Criteria(
    ComparisonOperator operator,
    Optional<Double> value,
    Optional<String> statistic,
    Optional<String> confidence,
    int durationSeconds,
    int datapointsToAlarm,
    int datapointsToClear) {

  /** How many standard deviations above its mean a device may go, by baseline confidence. */
  public double baselineDeviations() {
    // Reference §8.3: HIGH confidence is the least sensitive.
    return switch (confidence.orElse("MEDIUM")) {
      case "HIGH" -> 3.0;
      case "LOW" -> 1.5;
      default -> 2.0;
    };
  }

  /** The percentile of a statistic name ({@code p90} → 90.0). */
  public double percentile() {
    return Double.parseDouble(statistic.orElseThrow().substring(1));
  }
}
