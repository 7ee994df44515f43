package io.mamori.hub.detect;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How Detect runs: the evaluation period (one cloud-side datapoint per device per period), the
 * global dormancy limit (no contact for that long raises an alarm on every known thing, with or
 * without a security profile), and how many datapoints a learned baseline needs before it judges.
 *
 * @param evaluationPeriod how often metrics are aggregated and behaviours evaluated
 * @param dormantAfter no contact for this long raises a dormancy alarm; empty: only profiles decide
 * @param learningDatapoints datapoints of a device's own history before its baseline is used
 */
public record DetectSettings(
    Duration evaluationPeriod, Optional<Duration> dormantAfter, int learningDatapoints) {

  public static final Duration DEFAULT_PERIOD = Duration.ofMinutes(1);
  public static final int DEFAULT_LEARNING_DATAPOINTS = 60;

  public DetectSettings {
    Objects.requireNonNull(evaluationPeriod, "evaluationPeriod");
    Objects.requireNonNull(dormantAfter, "dormantAfter");
    if (evaluationPeriod.toMillis() < 100 || evaluationPeriod.compareTo(Duration.ofHours(1)) > 0) {
      throw new IllegalArgumentException("the detect period must be between 100 ms and 1 hour");
    }
    dormantAfter.ifPresent(
        d -> {
          if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("--dormant-after must be positive");
          }
        });
    if (learningDatapoints < 1 || learningDatapoints > 1_000_000) {
      throw new IllegalArgumentException("learning datapoints must be between 1 and 1000000");
    }
  }

  /** Once a minute, no global dormancy limit, 60 datapoints of learning. */
  public static DetectSettings defaults() {
    return new DetectSettings(DEFAULT_PERIOD, Optional.empty(), DEFAULT_LEARNING_DATAPOINTS);
  }

  public DetectSettings withPeriod(Duration period) {
    return new DetectSettings(period, dormantAfter, learningDatapoints);
  }

  public DetectSettings withDormantAfter(Duration after) {
    return new DetectSettings(evaluationPeriod, Optional.of(after), learningDatapoints);
  }

  public DetectSettings withLearningDatapoints(int datapoints) {
    return new DetectSettings(evaluationPeriod, dormantAfter, datapoints);
  }
}
