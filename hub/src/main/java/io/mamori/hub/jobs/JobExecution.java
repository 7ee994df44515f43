package io.mamori.hub.jobs;

import java.util.Map;
import java.util.Optional;

/**
 * One thing's execution of a job (reference §3.2 JobExecutionData without the document). Every
 * change increments {@code versionNumber}; {@code executionNumber} counts the executions of this
 * job on this thing (a thing that rejoins a continuous job's group gets a new one).
 *
 * @param queueOrder hub-wide order in which executions were queued; breaks ties between jobs queued
 *     in the same second when choosing the next one
 */
public record JobExecution(
    String jobId,
    String thingName,
    ExecutionStatus status,
    Map<String, String> statusDetails,
    long queuedAt,
    Optional<Long> startedAt,
    long lastUpdatedAt,
    long versionNumber,
    long executionNumber,
    long queueOrder) {

  public JobExecution {
    statusDetails = Map.copyOf(statusDetails);
  }

  static JobExecution queued(
      String jobId, String thing, long now, long executionNumber, long queueOrder) {
    return new JobExecution(
        jobId,
        thing,
        ExecutionStatus.QUEUED,
        Map.of(),
        now,
        Optional.empty(),
        now,
        1,
        executionNumber,
        queueOrder);
  }

  /**
   * The execution moved to {@code next}; {@code details} replaces the status details when present.
   * The start time is set the first time it goes IN_PROGRESS.
   */
  JobExecution moveTo(ExecutionStatus next, Optional<Map<String, String>> details, long now) {
    Optional<Long> started =
        startedAt.isEmpty() && next == ExecutionStatus.IN_PROGRESS ? Optional.of(now) : startedAt;
    return new JobExecution(
        jobId,
        thingName,
        next,
        details.orElse(statusDetails),
        queuedAt,
        started,
        now,
        versionNumber + 1,
        executionNumber,
        queueOrder);
  }
}
