package io.mamori.hub.jobs;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Storage of jobs and their executions; callers group calls in a transaction. */
public interface JobRepository {
  void insert(Job job);

  /** Saves the job's status fields (status, force, lastUpdatedAt, completedAt). */
  void updateStatus(Job job);

  Optional<Job> find(String jobId);

  /** All jobs, newest first. */
  List<Job> list();

  /** IN_PROGRESS continuous jobs that target {@code group}. */
  List<Job> continuousJobsTargeting(String group);

  /** Inserts or replaces the execution of (jobId, thingName). */
  void save(JobExecution execution);

  Optional<JobExecution> findExecution(String jobId, String thing);

  /**
   * The thing's QUEUED and IN_PROGRESS executions in queue order, of those the rollout released: a
   * QUEUED execution still held back by its job's rate is not the device's to see yet.
   */
  List<JobExecution> pendingOf(String thing);

  List<JobExecution> executionsOf(String jobId);

  Map<ExecutionStatus, Long> countsOf(String jobId);

  /** IN_PROGRESS executions whose job's in-progress timeout has run out at {@code now}. */
  List<JobExecution> inProgressTimedOut(long now);

  /** A queue order larger than every one given so far. */
  long nextQueueOrder();

  /** Deletes the job with its targets, executions and rollout state. */
  void delete(String jobId);

  // ---- rollouts (reference §3.4 jobExecutionsRolloutConfig) ----

  void saveRollout(RolloutState state);

  Optional<RolloutState> rollout(String jobId);

  /** Rollouts of IN_PROGRESS jobs that still hold back QUEUED executions. */
  List<RolloutState> activeRollouts();

  /** Marks these executions released (visible to their devices) at {@code atMillis}. */
  void release(String jobId, List<String> things, long atMillis);

  /** Up to {@code limit} QUEUED executions not yet released, in queue order. */
  List<String> unreleased(String jobId, long limit);

  /** How many of the job's executions were released after {@code afterMillis}. */
  long releasedAfter(String jobId, long afterMillis);

  long releasedCount(String jobId);

  /** Whether the rollout has released the thing's execution of the job to its device. */
  boolean isReleased(String jobId, String thing);

  /** When each released execution of the job was released (epoch ms), by thing name. */
  Map<String, Long> releaseTimes(String jobId);
}
