package io.mamori.hub.jobs;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;

/**
 * A job: a JSON document sent to every targeted thing, and its own status. Times are epoch seconds.
 */
public record Job(
    String jobId,
    String description,
    ObjectNode document,
    JobTargets targets,
    TargetSelection targetSelection,
    List<AbortCriterion> abortCriteria,
    Optional<Long> inProgressTimeoutMinutes,
    JobStatus status,
    boolean forceCanceled,
    long createdAt,
    long lastUpdatedAt,
    Optional<Long> completedAt) {

  public Job {
    abortCriteria = List.copyOf(abortCriteria);
  }

  Job withStatus(JobStatus newStatus, boolean force, long now) {
    return new Job(
        jobId,
        description,
        document,
        targets,
        targetSelection,
        abortCriteria,
        inProgressTimeoutMinutes,
        newStatus,
        force,
        createdAt,
        now,
        newStatus == JobStatus.IN_PROGRESS ? Optional.empty() : Optional.of(now));
  }
}
