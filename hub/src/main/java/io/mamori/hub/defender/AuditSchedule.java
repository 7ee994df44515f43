package io.mamori.hub.defender;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A configuration audit that runs on its own every {@code every}; its findings go out as events
 * (and so to webhooks that want {@code defender.audit.*}).
 *
 * @param id generated identifier
 * @param every the period
 * @param checks the check names to report; empty for all
 * @param createdAt when it was created
 * @param nextRunAt when it runs next
 * @param lastRunAt when it last ran
 * @param lastFindings how many unsuppressed findings that run reported
 * @param lastError why that run failed, if it did
 */
public record AuditSchedule(
    String id,
    Duration every,
    List<String> checks,
    Instant createdAt,
    Instant nextRunAt,
    Optional<Instant> lastRunAt,
    Optional<Integer> lastFindings,
    Optional<String> lastError) {
  public AuditSchedule {
    checks = List.copyOf(checks);
  }
}
