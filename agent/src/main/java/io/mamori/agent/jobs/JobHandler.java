package io.mamori.agent.jobs;

import io.mamori.agent.connection.DeviceConnection;

/** Runs one kind of job document ({@code operation}) on the device. */
public interface JobHandler {
  /** The {@code operation} value it handles, e.g. {@code ota}. */
  String operation();

  /**
   * Runs the job. Must not throw for a job that cannot be done: that is a {@link JobOutcome.Failed}
   * with the reason, which the hub records.
   */
  JobOutcome run(Execution execution, DeviceConnection connection);
}
