package io.mamori.hub.registry;

import io.mamori.hub.events.EventPublisher;
import io.mamori.hub.events.HubEvent;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one operator change of the registry. The events and listener calls the change records are
 * delivered only after its transaction committed ({@link Transactor#afterCommit}), also when the
 * service was called inside a larger transaction, so nobody hears of a change that was rolled back;
 * a refused or failed change becomes one failure event instead.
 */
public final class RegistryChanges {
  private static final Logger log = LoggerFactory.getLogger(RegistryChanges.class);

  private final Transactor transactor;
  private final EventPublisher events;
  private final RegistryListener listener;
  private final Clock clock;

  public RegistryChanges(
      Transactor transactor, EventPublisher events, RegistryListener listener, Clock clock) {
    this.transactor = transactor;
    this.events = events;
    this.listener = listener;
    this.clock = clock;
  }

  /**
   * Runs {@code work}; on an exception publishes {@code type} with outcome failure and the
   * exception's message as reason, then rethrows it.
   */
  public <T> T run(String type, String actor, String subject, Function<Change, T> work) {
    var change = new Change(now(), actor);
    T result;
    try {
      result = work.apply(change);
    } catch (RuntimeException e) {
      events.publish(
          new HubEvent(
              type,
              now(),
              actor,
              subject,
              HubEvent.FAILURE,
              String.valueOf(e.getMessage()),
              Map.of()));
      throw e;
    }
    transactor.afterCommit(change::deliver);
    return result;
  }

  /** The store keeps instants as epoch milliseconds; finer values would not read back equal. */
  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }

  /** What one change will announce once it has committed. */
  public final class Change {
    private final Instant at;
    private final String actor;
    private final List<HubEvent> pendingEvents = new ArrayList<>();
    private final List<Consumer<RegistryListener>> pendingCalls = new ArrayList<>();

    private Change(Instant at, String actor) {
      this.at = at;
      this.actor = actor;
    }

    /** When the change happens: the time stamp for the rows it writes. */
    public Instant at() {
      return at;
    }

    public void event(String type, String subject, String reason, Map<String, String> details) {
      pendingEvents.add(new HubEvent(type, at, actor, subject, HubEvent.SUCCESS, reason, details));
    }

    public void event(String type, String subject, Map<String, String> details) {
      event(type, subject, "", details);
    }

    public void tell(Consumer<RegistryListener> call) {
      pendingCalls.add(call);
    }

    private void deliver() {
      pendingEvents.forEach(events::publish);
      for (var call : pendingCalls) {
        try {
          call.accept(listener);
        } catch (RuntimeException e) {
          // The change is committed and must be reported as done; a listener bug must not turn
          // it into an error the operator would retry. It is loud because a missed revocation
          // notice leaves a connection open.
          log.error("registry listener failed after commit reason={}", e.toString(), e);
        }
      }
    }
  }
}
