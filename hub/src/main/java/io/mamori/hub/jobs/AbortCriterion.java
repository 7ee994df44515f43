package io.mamori.hub.jobs;

import java.util.Map;
import java.util.Set;

/**
 * One abort rule of a job's {@code abortConfig} (reference §3.4): once at least {@code
 * minNumberOfExecutedThings} executions have finished, the job is canceled (its QUEUED executions
 * with it; IN_PROGRESS ones are left to finish) when the executions that finished with {@code
 * failureType} reach {@code thresholdPercentage} of the finished ones.
 */
public record AbortCriterion(
    FailureType failureType, long minNumberOfExecutedThings, double thresholdPercentage) {

  /** Which final statuses count as failures; ALL counts the three. */
  public enum FailureType {
    FAILED,
    REJECTED,
    TIMED_OUT,
    ALL;

    Set<ExecutionStatus> statuses() {
      return switch (this) {
        case FAILED -> Set.of(ExecutionStatus.FAILED);
        case REJECTED -> Set.of(ExecutionStatus.REJECTED);
        case TIMED_OUT -> Set.of(ExecutionStatus.TIMED_OUT);
        case ALL ->
            Set.of(ExecutionStatus.FAILED, ExecutionStatus.REJECTED, ExecutionStatus.TIMED_OUT);
      };
    }
  }

  public AbortCriterion {
    if (minNumberOfExecutedThings < 1) {
      throw new JobException(
          JobException.Kind.INVALID, "minNumberOfExecutedThings must be at least 1");
    }
    if (!(thresholdPercentage > 0 && thresholdPercentage <= 100)) {
      throw new JobException(
          JobException.Kind.INVALID, "thresholdPercentage must be above 0 and at most 100");
    }
  }

  /** Whether the rule fires for these counts of a job's executions. */
  boolean reached(Map<ExecutionStatus, Long> counts) {
    long executed =
        counts.entrySet().stream()
            .filter(e -> e.getKey().terminal())
            .mapToLong(Map.Entry::getValue)
            .sum();
    if (executed < minNumberOfExecutedThings) {
      return false;
    }
    long failures =
        failureType.statuses().stream().mapToLong(s -> counts.getOrDefault(s, 0L)).sum();
    return failures * 100.0 / executed >= thresholdPercentage;
  }
}
