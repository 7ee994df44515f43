package io.mamori.hub.detect;

import io.mamori.hub.events.EventPublisher;
import io.mamori.hub.events.HubEvent;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

/**
 * Raises, clears and judges alarms, keeps their history, and announces every change as a {@code
 * defender.alarm.*} hub event carrying the profile's mitigations (applied by the mitigation
 * component, which subscribes to those events).
 */
public final class Alarms {
  public static final String ACTIVE = "defender.alarm.active";
  public static final String CLEARED = "defender.alarm.cleared";
  public static final String VERIFIED = "defender.alarm.verified";
  public static final String DISMISSED = "defender.alarm.dismissed";
  static final int MAX_NOTE = 1024;

  private final AlarmRepository repository;
  private final Function<String, ProfileMitigations> mitigationsOf;
  private final EventPublisher events;
  private final Clock clock;
  private final java.util.function.Consumer<String> changes;

  /**
   * @param mitigationsOf profile name → its mitigations ({@link ProfileMitigations#NONE} for none)
   * @param changes told of each change by name ({@code ACTIVE}, {@code CLEARED}, ...), for metrics
   */
  public Alarms(
      AlarmRepository repository,
      Function<String, ProfileMitigations> mitigationsOf,
      java.util.function.Consumer<String> changes,
      EventPublisher events,
      Clock clock) {
    this.changes = changes;
    this.repository = repository;
    this.mitigationsOf = mitigationsOf;
    this.events = events;
    this.clock = clock;
  }

  Alarm raise(String thing, String profile, Behavior behavior, double value, double threshold) {
    Instant now = clock.instant();
    var alarm =
        new Alarm(
            UUID.randomUUID().toString(),
            thing,
            profile,
            behavior.name(),
            behavior.metric(),
            Alarm.State.ACTIVE,
            value,
            threshold,
            Alarm.Verification.UNKNOWN,
            "",
            now,
            now);
    repository.save(alarm, new AlarmChange(now, "ACTIVE", "hub", "", value));
    announce(ACTIVE, alarm, "hub", "");
    return alarm;
  }

  Alarm clear(Alarm alarm, double value) {
    Instant now = clock.instant();
    Alarm cleared = alarm.cleared(value, now);
    repository.save(cleared, new AlarmChange(now, "CLEARED", "hub", "", value));
    announce(CLEARED, cleared, "hub", "");
    return cleared;
  }

  /** An operator confirms the alarm is a true positive. */
  public Alarm verify(String id, String note, String actor) {
    return judge(id, Alarm.Verification.VERIFIED, note, actor);
  }

  /** An operator judges the alarm a false positive or benign. */
  public Alarm dismiss(String id, String note, String actor) {
    return judge(id, Alarm.Verification.DISMISSED, note, actor);
  }

  private Alarm judge(String id, Alarm.Verification judgement, String note, String actor) {
    if (note == null || note.isBlank() || note.length() > MAX_NOTE) {
      throw DetectException.invalid("a note of 1 to " + MAX_NOTE + " characters is required");
    }
    Alarm alarm = get(id);
    Instant now = clock.instant();
    Alarm judged = alarm.judged(judgement, note, now);
    repository.save(judged, new AlarmChange(now, judgement.name(), actor, note, alarm.value()));
    announce(judgement == Alarm.Verification.VERIFIED ? VERIFIED : DISMISSED, judged, actor, note);
    return judged;
  }

  public Alarm get(String id) {
    return repository.find(id).orElseThrow(() -> DetectException.notFound("no alarm " + id));
  }

  public List<Alarm> list(boolean activeOnly) {
    return repository.list(activeOnly, 1000);
  }

  public List<AlarmChange> history(String id) {
    get(id);
    return repository.history(id);
  }

  private void announce(String type, Alarm alarm, String actor, String note) {
    changes.accept(type.substring(type.lastIndexOf('.') + 1).toUpperCase(java.util.Locale.ROOT));
    // The contract with the mitigation component: these detail names and a comma-separated list.
    ProfileMitigations mitigations = mitigationsOf.apply(alarm.profile());
    events.publish(
        new HubEvent(
            type,
            clock.instant(),
            actor,
            alarm.thing(),
            HubEvent.SUCCESS,
            note,
            Map.of(
                "alarmId", alarm.id(),
                "profile", alarm.profile(),
                "behavior", alarm.behavior(),
                "metric", alarm.metric(),
                "value", number(alarm.value()),
                "threshold", number(alarm.threshold()),
                "mitigations", String.join(",", mitigations.names()),
                "mitigationParams", mitigations.parameters())));
  }

  static String number(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.valueOf((long) v) : String.valueOf(v);
  }
}
