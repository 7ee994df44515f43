package io.mamori.hub.jobs;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A job with the number of its executions in each status, the executions themselves, its rollout,
 * and when each released execution was released (epoch ms, by thing name).
 */
public record JobDescription(
    Job job,
    Map<ExecutionStatus, Long> counts,
    List<JobExecution> executions,
    Optional<RolloutState> rollout,
    Map<String, Long> releasedAt) {
  public JobDescription {
    counts = Map.copyOf(counts);
    executions = List.copyOf(executions);
    releasedAt = Map.copyOf(releasedAt);
  }
}
