package io.mamori.agent.simulate;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Decides how each simulated job execution ends. The rates are exact over the fleet, not random:
 * with a failure rate of 0.3 the 4th, 7th, 10th... execution reported fails, so a run (and a test
 * of an abort threshold) is repeatable. Rejections are drawn the same way from the executions that
 * did not fail.
 */
public final class Outcomes {
  /** What the device reports: AWS's final statuses a device may set (reference §3.2). */
  public enum Outcome {
    SUCCEEDED,
    FAILED,
    REJECTED
  }

  private final double failureRate;
  private final double rejectRate;
  private final AtomicLong executions = new AtomicLong();
  private final AtomicLong notFailed = new AtomicLong();

  public Outcomes(double failureRate, double rejectRate) {
    if (!(failureRate >= 0 && failureRate <= 1) || !(rejectRate >= 0 && rejectRate <= 1)) {
      throw new IllegalArgumentException("rates must be between 0 and 1");
    }
    this.failureRate = failureRate;
    this.rejectRate = rejectRate;
  }

  public Outcome next() {
    if (crosses(executions.getAndIncrement(), failureRate)) {
      return Outcome.FAILED;
    }
    return crosses(notFailed.getAndIncrement(), rejectRate) ? Outcome.REJECTED : Outcome.SUCCEEDED;
  }

  /** Whether the n-th draw (from 0) brings the count of hits up to floor((n + 1) * rate). */
  private static boolean crosses(long n, double rate) {
    return Math.floor((n + 1) * rate) > Math.floor(n * rate);
  }
}
