package io.mamori.hub.defender;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Scheduled configuration audits, kept across restarts. */
public interface AuditScheduleRepository {
  void insert(AuditSchedule schedule);

  boolean delete(String id);

  Optional<AuditSchedule> find(String id);

  List<AuditSchedule> list();

  /** Records a run: when, how many findings or why it failed, and when the next one is due. */
  void recordRun(
      String id,
      Instant ranAt,
      Instant nextRunAt,
      Optional<Integer> findings,
      Optional<String> error);
}
