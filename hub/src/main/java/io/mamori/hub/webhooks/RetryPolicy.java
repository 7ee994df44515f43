package io.mamori.hub.webhooks;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * When to try a failed delivery again: exponential backoff ({@code base * 2^(attempt-1)}, at most
 * {@code cap}) with full jitter in [50 %, 100 %] of it, so many receivers failing together are not
 * retried in lock step; after {@code maxAttempts} the delivery is dead-lettered.
 */
public record RetryPolicy(int maxAttempts, Duration base, Duration cap) {
  /** 8 attempts over about four minutes (1 s, 2 s, 4 s ... capped at 2 min), then dead. */
  public static final RetryPolicy DEFAULT =
      new RetryPolicy(8, Duration.ofSeconds(1), Duration.ofMinutes(2));

  public RetryPolicy {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("at least one attempt");
    }
    if (base.isNegative() || base.isZero() || cap.compareTo(base) < 0) {
      throw new IllegalArgumentException("base must be positive and cap at least base");
    }
  }

  /**
   * The wait after {@code attempts} failed attempts.
   *
   * @param random uniform in [0, 1)
   */
  public Duration delayAfter(int attempts, DoubleSupplier random) {
    int exponent = Math.min(Math.max(attempts - 1, 0), 30);
    long millis = Math.min(cap.toMillis(), base.toMillis() << exponent);
    if (millis < 0) { // shifted past Long range
      millis = cap.toMillis();
    }
    return Duration.ofMillis(millis / 2 + (long) (random.getAsDouble() * (millis / 2.0)));
  }

  public boolean exhausted(int attempts) {
    return attempts >= maxAttempts;
  }
}
