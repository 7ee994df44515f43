package io.mamori.hub.jobs;

import java.util.EnumSet;
import java.util.Set;

/** A job execution's status, exactly AWS's (reference §3.3), with who may move it where. */
public enum ExecutionStatus {
  QUEUED(false),
  IN_PROGRESS(false),
  SUCCEEDED(true),
  FAILED(true),
  TIMED_OUT(true),
  REJECTED(true),
  REMOVED(true),
  CANCELED(true);

  /** The statuses a device may report in UpdateJobExecution (reference §3.2). */
  public static final Set<ExecutionStatus> DEVICE_SETTABLE =
      EnumSet.of(IN_PROGRESS, SUCCEEDED, FAILED, REJECTED);

  private final boolean terminal;

  ExecutionStatus(boolean terminal) {
    this.terminal = terminal;
  }

  public boolean terminal() {
    return terminal;
  }

  /** Whether the execution is in the thing's pending list (GetPendingJobExecutions). */
  public boolean pending() {
    return !terminal;
  }

  /**
   * Whether a device may move an execution from this status to {@code target}: only from a
   * non-terminal status (a terminal one never changes again), and only to a device status. A QUEUED
   * execution may be finished without being started, as AWS allows.
   */
  public boolean deviceMayMoveTo(ExecutionStatus target) {
    return !terminal && DEVICE_SETTABLE.contains(target);
  }

  /**
   * Whether the service may move an execution from this status to {@code target}: CANCELED and
   * REMOVED from any pending status, TIMED_OUT only from IN_PROGRESS.
   */
  public boolean serviceMayMoveTo(ExecutionStatus target) {
    return switch (target) {
      case CANCELED, REMOVED -> !terminal;
      case TIMED_OUT -> this == IN_PROGRESS;
      default -> false;
    };
  }
}
