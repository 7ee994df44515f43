package io.mamori.hub.defender;

import io.mamori.hub.events.EventPublisher;
import io.mamori.hub.events.HubEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs scheduled configuration audits on its own thread (never a broker or API thread). A new
 * schedule runs at once, then every period. Each run publishes one {@code defender.audit.finding}
 * per unsuppressed finding and a {@code defender.audit.completed} summary, and records the run.
 */
public final class AuditScheduler implements AutoCloseable {
  /** Every check name {@link ConfigurationAudit} can report (reference §8.1). */
  public static final Set<String> CHECKS =
      Set.of(
          "IOT_POLICY_OVERLY_PERMISSIVE_CHECK",
          "IOT_POLICY_POTENTIAL_MIS_CONFIGURATION_CHECK",
          "DEVICE_CERTIFICATE_EXPIRING_CHECK",
          "CA_CERTIFICATE_EXPIRING_CHECK",
          "DEVICE_CERTIFICATE_KEY_QUALITY_CHECK",
          "CA_CERTIFICATE_KEY_QUALITY_CHECK",
          "DEVICE_CERTIFICATE_SHARED_CHECK",
          "CONFLICTING_CLIENT_IDS_CHECK",
          "REVOKED_DEVICE_CERTIFICATE_STILL_ACTIVE_CHECK",
          "LOGGING_DISABLED_CHECK");

  static final Duration MIN_PERIOD = Duration.ofMinutes(1);
  static final Duration MAX_PERIOD = Duration.ofDays(31);
  static final int MAX_SCHEDULES = 50;
  private static final Duration TICK = Duration.ofSeconds(15);
  private static final Logger log = LoggerFactory.getLogger(AuditScheduler.class);

  private final ConfigurationAudit audit;
  private final Suppressions suppressions;
  private final AuditScheduleRepository repository;
  private final EventPublisher events;
  private final Clock clock;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "mamori-audit-schedules");
            t.setDaemon(true);
            return t;
          });

  public AuditScheduler(
      ConfigurationAudit audit,
      Suppressions suppressions,
      AuditScheduleRepository repository,
      EventPublisher events,
      Clock clock) {
    this.audit = audit;
    this.suppressions = suppressions;
    this.repository = repository;
    this.events = events;
    this.clock = clock;
  }

  public AuditScheduler start() {
    timer.scheduleWithFixedDelay(this::runDue, 0, TICK.toMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  /**
   * @param checks check names to report; empty for all
   * @throws IllegalArgumentException for a period out of range or an unknown check
   */
  public AuditSchedule create(Duration every, List<String> checks, String actor) {
    if (every.compareTo(MIN_PERIOD) < 0 || every.compareTo(MAX_PERIOD) > 0) {
      throw new IllegalArgumentException("the period must be between 1m and 31d");
    }
    for (String check : checks) {
      if (!CHECKS.contains(check)) {
        throw new IllegalArgumentException(
            "unknown check '"
                + check
                + "'; known: "
                + String.join(", ", new java.util.TreeSet<>(CHECKS)));
      }
    }
    if (repository.list().size() >= MAX_SCHEDULES) {
      throw new IllegalArgumentException("at most " + MAX_SCHEDULES + " audit schedules");
    }
    Instant now = clock.instant();
    AuditSchedule schedule =
        new AuditSchedule(
            UUID.randomUUID().toString(),
            every,
            checks.stream().distinct().sorted().toList(),
            now,
            now,
            Optional.empty(),
            Optional.empty(),
            Optional.empty());
    repository.insert(schedule);
    events.publish(
        HubEvent.success("defender.audit.schedule-created", now, actor, schedule.id())
            .with("every", every.toString())
            .with("checks", String.join(",", schedule.checks())));
    timer.execute(this::runDue); // the first run is now
    return schedule;
  }

  public List<AuditSchedule> list() {
    return repository.list();
  }

  public Optional<AuditSchedule> find(String id) {
    return repository.find(id);
  }

  public boolean delete(String id, String actor) {
    boolean deleted = repository.delete(id);
    if (deleted) {
      events.publish(
          HubEvent.success("defender.audit.schedule-deleted", clock.instant(), actor, id));
    }
    return deleted;
  }

  private void runDue() {
    try {
      Instant now = clock.instant();
      for (AuditSchedule schedule : repository.list()) {
        if (!schedule.nextRunAt().isAfter(now)) {
          run(schedule);
        }
      }
    } catch (RuntimeException e) {
      // The next tick tries again; a failure must not cancel the timer.
      log.error("audit schedules failed reason={}", e.toString());
    }
  }

  private void run(AuditSchedule schedule) {
    Instant ranAt = clock.instant();
    Instant next = ranAt.plus(schedule.every());
    try {
      List<AuditFinding> findings = new ArrayList<>();
      int suppressed = 0;
      var accepted = suppressions.list();
      for (AuditFinding finding : audit.run()) {
        if (!schedule.checks().isEmpty() && !schedule.checks().contains(finding.check())) {
          continue;
        }
        if (suppressions.find(accepted, finding).isPresent()) {
          suppressed++;
          continue;
        }
        findings.add(finding);
      }
      for (AuditFinding finding : findings) {
        var details = new LinkedHashMap<String, String>();
        details.put("scheduleId", schedule.id());
        details.put("check", finding.check());
        details.put("severity", finding.severity().name());
        details.put("reasonCode", finding.reasonCode());
        details.put("resourceType", finding.resourceType());
        events.publish(
            new HubEvent(
                "defender.audit.finding",
                ranAt,
                "hub",
                finding.resourceId(),
                HubEvent.SUCCESS,
                finding.reason(),
                details));
      }
      events.publish(
          HubEvent.success("defender.audit.completed", clock.instant(), "hub", schedule.id())
              .with("findings", Integer.toString(findings.size()))
              .with("suppressed", Integer.toString(suppressed)));
      repository.recordRun(
          schedule.id(), ranAt, next, Optional.of(findings.size()), Optional.empty());
    } catch (RuntimeException e) {
      log.error("scheduled audit failed schedule={} reason={}", schedule.id(), e.toString());
      events.publish(
          new HubEvent(
              "defender.audit.completed",
              clock.instant(),
              "hub",
              schedule.id(),
              HubEvent.FAILURE,
              e.toString(),
              java.util.Map.of()));
      repository.recordRun(schedule.id(), ranAt, next, Optional.empty(), Optional.of(e.toString()));
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
