package io.mamori.hub.defender;

import io.mamori.hub.events.EventPublisher;
import io.mamori.hub.events.HubEvent;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Suppressing and restoring audit findings; each change is an event (so it is in the audit log).
 */
public final class Suppressions {
  static final int MAX_NOTE = 1024;
  private final SuppressionRepository repository;
  private final EventPublisher events;
  private final Clock clock;

  public Suppressions(SuppressionRepository repository, EventPublisher events, Clock clock) {
    this.repository = repository;
    this.events = events;
    this.clock = clock;
  }

  /**
   * @throws IllegalArgumentException naming what is wrong: an empty or long note, a blank check
   */
  public Suppression suppress(String check, String resourceId, String note, String actor) {
    if (check.isBlank() || resourceId.isBlank()) {
      throw new IllegalArgumentException("check name and resource id must not be empty");
    }
    if (!check.matches("[A-Z0-9_]+")) {
      throw new IllegalArgumentException(
          "'" + check + "' is not a check name like DEVICE_CERTIFICATE_SHARED_CHECK");
    }
    if (note.isBlank() || note.length() > MAX_NOTE) {
      throw new IllegalArgumentException(
          "a note of 1 to " + MAX_NOTE + " characters saying why is required");
    }
    Suppression suppression = new Suppression(check, resourceId, note.strip(), clock.instant());
    repository.put(suppression);
    events.publish(
        new HubEvent(
            "defender.finding-suppressed",
            suppression.createdAt(),
            actor,
            resourceId,
            HubEvent.SUCCESS,
            note.strip(),
            Map.of("check", check)));
    return suppression;
  }

  public boolean unsuppress(String check, String resourceId, String actor) {
    boolean removed = repository.delete(check, resourceId);
    if (removed) {
      events.publish(
          HubEvent.success("defender.finding-unsuppressed", clock.instant(), actor, resourceId)
              .with("check", check));
    }
    return removed;
  }

  public List<Suppression> list() {
    return repository.list();
  }

  public Optional<Suppression> find(List<Suppression> all, AuditFinding finding) {
    return all.stream()
        .filter(
            s -> s.check().equals(finding.check()) && s.resourceId().equals(finding.resourceId()))
        .findFirst();
  }
}
