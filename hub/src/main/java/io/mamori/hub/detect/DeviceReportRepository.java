package io.mamori.hub.detect;

import java.time.Instant;
import java.util.List;

/** Where accepted device-side metrics reports are kept as datapoints. */
public interface DeviceReportRepository {
  void add(DeviceReport report);

  /** A thing's reports received at or after {@code since}, oldest first. */
  List<DeviceReport> since(String thing, Instant since);

  /** Forgets reports older than {@code before}. */
  void prune(Instant before);
}
