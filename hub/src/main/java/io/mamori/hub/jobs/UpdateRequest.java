package io.mamori.hub.jobs;

import java.util.Map;
import java.util.Optional;

/**
 * A device's UpdateJobExecution (reference §3.2), already checked for shape.
 *
 * @param stepTimeoutInMinutes accepted and range-checked; step timers are not enforced yet
 */
public record UpdateRequest(
    ExecutionStatus status,
    Optional<Map<String, String>> statusDetails,
    Optional<Long> expectedVersion,
    Optional<Long> executionNumber,
    boolean includeJobExecutionState,
    boolean includeJobDocument,
    Optional<Long> stepTimeoutInMinutes) {}
