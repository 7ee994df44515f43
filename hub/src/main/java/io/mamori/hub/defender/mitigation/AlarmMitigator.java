package io.mamori.hub.defender.mitigation;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mamori.hub.events.EventPublisher;
import io.mamori.hub.events.HubEvent;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Automatic mitigation: a {@code defender.alarm.active} event whose {@code mitigations} detail
 * names actions gets them applied to its subject thing, on this class's own thread (the alarm may
 * be raised on a Netty event loop; mitigations write to the database). A full queue, bad parameters
 * or an unknown action become {@code defender.mitigation.failed} events, never silence.
 */
public final class AlarmMitigator implements Consumer<HubEvent>, AutoCloseable {
  public static final String ALARM_ACTIVE = "defender.alarm.active";
  static final String ACTOR = "defender";
  static final int QUEUE = 1_000;
  private static final Logger log = LoggerFactory.getLogger(AlarmMitigator.class);

  private final Mitigations mitigations;
  private final EventPublisher events;
  private final Clock clock;
  private final ObjectMapper json = new ObjectMapper();
  private final ThreadPoolExecutor executor =
      new ThreadPoolExecutor(
          1,
          1,
          0,
          TimeUnit.SECONDS,
          new ArrayBlockingQueue<>(QUEUE),
          r -> {
            Thread t = new Thread(r, "mamori-mitigations");
            t.setDaemon(true);
            return t;
          });

  public AlarmMitigator(Mitigations mitigations, EventPublisher events, Clock clock) {
    this.mitigations = mitigations;
    this.events = events;
    this.clock = clock;
  }

  @Override
  public void accept(HubEvent event) {
    if (!event.type().equals(ALARM_ACTIVE)) {
      return;
    }
    String names = event.details().getOrDefault("mitigations", "");
    if (names.isBlank()) {
      return;
    }
    try {
      executor.execute(() -> mitigate(event, names));
    } catch (RejectedExecutionException e) {
      refuse(event, names, "mitigation queue full (" + QUEUE + "); alarm not mitigated");
    }
  }

  private void mitigate(HubEvent alarm, String names) {
    String thing = alarm.subject();
    Optional<String> alarmId = Optional.ofNullable(alarm.details().get("alarmId"));
    MitigationParams params;
    List<MitigationAction> actions = new ArrayList<>();
    try {
      params = MitigationParams.fromJsonText(alarm.details().get("mitigationParams"), json);
      for (String name : Arrays.stream(names.split(",")).map(String::strip).toList()) {
        if (!name.isEmpty()) {
          actions.add(MitigationAction.parse(name));
        }
      }
    } catch (IllegalArgumentException e) {
      refuse(alarm, names, e.getMessage());
      return;
    }
    for (MitigationAction action : actions) {
      try {
        mitigations.apply(thing, action, params, ACTOR, alarmId);
      } catch (RuntimeException e) {
        // Already recorded as defender.mitigation.failed; the next action still runs.
        log.warn(
            "automatic mitigation failed thing={} action={} alarmId={} reason={}",
            thing,
            action,
            alarmId.orElse(""),
            e.getMessage());
      }
    }
  }

  private void refuse(HubEvent alarm, String names, String reason) {
    var details = new java.util.LinkedHashMap<String, String>();
    details.put("action", names);
    Optional.ofNullable(alarm.details().get("alarmId")).ifPresent(a -> details.put("alarmId", a));
    events.publish(
        new HubEvent(
            "defender.mitigation.failed",
            clock.instant(),
            ACTOR,
            alarm.subject(),
            HubEvent.FAILURE,
            reason,
            Map.copyOf(details)));
  }

  @Override
  public void close() {
    executor.shutdown();
    try {
      if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
        executor.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
