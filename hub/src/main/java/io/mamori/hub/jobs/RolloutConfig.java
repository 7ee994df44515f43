package io.mamori.hub.jobs;

import java.util.Optional;

/**
 * A job's {@code jobExecutionsRolloutConfig} (reference §3.4): how many things may be notified per
 * minute, either a constant {@code maximumPerMinute} or an exponential rate that starts at {@code
 * baseRatePerMinute} and is multiplied by {@code incrementFactor} each time its criteria are met,
 * never above {@code maximumPerMinute}.
 */
public record RolloutConfig(int maximumPerMinute, Optional<ExponentialRate> exponentialRate) {
  /** AWS's bound and default for {@code maximumPerMinute}. */
  public static final int MAX_PER_MINUTE = 1000;

  /** The window a per-minute rate counts over: no 60 s span notifies more than the rate. */
  public static final long WINDOW_MILLIS = 60_000;

  /** What a job without a rollout configuration gets: AWS's default of 1000 per minute. */
  public static final RolloutConfig DEFAULT = new RolloutConfig(MAX_PER_MINUTE, Optional.empty());

  public RolloutConfig {
    if (maximumPerMinute < 1 || maximumPerMinute > MAX_PER_MINUTE) {
      throw invalid("maximumPerMinute must be 1.." + MAX_PER_MINUTE + ", got " + maximumPerMinute);
    }
    if (exponentialRate.isPresent()
        && exponentialRate.get().baseRatePerMinute() > maximumPerMinute) {
      throw invalid(
          "exponentialRate.baseRatePerMinute ("
              + exponentialRate.get().baseRatePerMinute()
              + ") must not exceed maximumPerMinute ("
              + maximumPerMinute
              + ")");
    }
  }

  /** The rate a rollout starts with. */
  public int initialRate() {
    return exponentialRate.map(ExponentialRate::baseRatePerMinute).orElse(maximumPerMinute);
  }

  /** The rate after one more increase from {@code rate}: multiplied, rounded down, capped. */
  int increased(int rate) {
    double factor = exponentialRate.map(ExponentialRate::incrementFactor).orElse(1.0);
    return (int) Math.min(maximumPerMinute, Math.floor(rate * factor));
  }

  /**
   * {@code exponentialRate}: {@code rateIncreaseCriteria} holds {@code numberOfNotifiedThings},
   * {@code numberOfSucceededThings} or both; the rate increases when either is reached, counted
   * since the previous increase.
   */
  public record ExponentialRate(
      int baseRatePerMinute,
      double incrementFactor,
      Optional<Long> numberOfNotifiedThings,
      Optional<Long> numberOfSucceededThings) {
    public ExponentialRate {
      if (baseRatePerMinute < 1 || baseRatePerMinute > MAX_PER_MINUTE) {
        throw invalid("exponentialRate.baseRatePerMinute must be 1.." + MAX_PER_MINUTE);
      }
      // AWS: 1.1 to 5, with at most one digit after the decimal point.
      if (!(incrementFactor >= 1.1 && incrementFactor <= 5)
          || Math.abs(incrementFactor * 10 - Math.rint(incrementFactor * 10)) > 1e-9) {
        throw invalid(
            "exponentialRate.incrementFactor must be 1.1..5 with one decimal at most, got "
                + incrementFactor);
      }
      if (numberOfNotifiedThings.isEmpty() && numberOfSucceededThings.isEmpty()) {
        throw invalid(
            "exponentialRate.rateIncreaseCriteria needs numberOfNotifiedThings or"
                + " numberOfSucceededThings");
      }
      if (numberOfNotifiedThings.filter(n -> n < 1).isPresent()
          || numberOfSucceededThings.filter(n -> n < 1).isPresent()) {
        throw invalid("exponentialRate.rateIncreaseCriteria numbers must be at least 1");
      }
    }

    /** Whether the counts since the previous increase call for the next one. */
    boolean reached(long notifiedSince, long succeededSince) {
      return numberOfNotifiedThings.filter(n -> notifiedSince >= n).isPresent()
          || numberOfSucceededThings.filter(n -> succeededSince >= n).isPresent();
    }
  }

  private static JobException invalid(String message) {
    return new JobException(JobException.Kind.INVALID, message);
  }
}
