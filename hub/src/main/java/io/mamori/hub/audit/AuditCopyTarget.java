package io.mamori.hub.audit;

import java.io.IOException;
import java.util.List;

/** A second place that receives the audit log as it grows (a directory, an HTTPS endpoint). */
public interface AuditCopyTarget {
  /** The sequence number of the last record the target holds for sure (0 for none). */
  long acknowledged() throws IOException;

  /**
   * Stores {@code lines} (complete records in order, right after the acknowledged one) taken from
   * the segment named {@code segment}; returns normally only once they are durable there.
   */
  void send(String segment, List<AuditReader.Line> lines) throws IOException;

  /** For logs and metrics, without secrets. */
  String describe();
}
