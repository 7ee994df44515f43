package io.mamori.hub.jobs;

import java.util.Optional;

/**
 * A device request refused with one of AWS's error codes (reference §3.2 ErrorResponse). The
 * current execution state travels along only for {@code InvalidStateTransition} and {@code
 * VersionMismatch}, as AWS sends it.
 */
public final class JobRejection extends RuntimeException {
  public static final String INVALID_TOPIC = "InvalidTopic";
  public static final String INVALID_JSON = "InvalidJson";
  public static final String INVALID_REQUEST = "InvalidRequest";
  public static final String INVALID_STATE_TRANSITION = "InvalidStateTransition";
  public static final String RESOURCE_NOT_FOUND = "ResourceNotFound";
  public static final String VERSION_MISMATCH = "VersionMismatch";
  public static final String INTERNAL_ERROR = "InternalError";
  public static final String TERMINAL_STATE_REACHED = "TerminalStateReached";

  private final String code;
  private final transient Optional<JobExecution> executionState;

  public JobRejection(String code, String message) {
    this(code, message, Optional.empty());
  }

  public JobRejection(String code, String message, Optional<JobExecution> executionState) {
    super(message);
    this.code = code;
    this.executionState = executionState;
  }

  public String code() {
    return code;
  }

  public Optional<JobExecution> executionState() {
    return executionState;
  }
}
