package io.mamori.hub.jobs;

/** A job's own status (reference §3.3); a continuous job stays IN_PROGRESS until canceled. */
public enum JobStatus {
  IN_PROGRESS,
  CANCELED,
  COMPLETED,
  DELETION_IN_PROGRESS
}
