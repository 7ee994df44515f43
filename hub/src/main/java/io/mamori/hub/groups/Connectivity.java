package io.mamori.hub.groups;

import io.mamori.hub.events.HubEvent;
import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Live connectivity by client id, from the broker's {@code mqtt.connect} / {@code mqtt.disconnect}
 * events; as in AWS fleet indexing, a thing's connectivity is that of the client id equal to its
 * name. Counted by session, so a takeover whose old disconnect arrives after the new connect still
 * reads as connected. Kept in memory: after a restart every thing reads as never seen.
 */
final class Connectivity {
  /** Beyond this many remembered clients, a disconnected one is forgotten instead of kept. */
  static final int MAX_REMEMBERED = 100_000;

  private static final String SESSION = "sessionIdentifier";

  private record Entry(Set<String> sessions, Instant timestamp, Optional<String> reason) {}

  private final ConcurrentHashMap<String, Entry> clients = new ConcurrentHashMap<>();

  /** Records a connect or disconnect; true when the event was one. */
  boolean record(HubEvent event) {
    if (!HubEvent.SUCCESS.equals(event.outcome())) {
      return false;
    }
    String session = event.details().getOrDefault(SESSION, "");
    switch (event.type()) {
      case "mqtt.connect" -> {
        clients.compute(
            event.subject(),
            (id, old) -> {
              Set<String> sessions = old == null ? new HashSet<>() : new HashSet<>(old.sessions());
              sessions.add(session);
              return new Entry(Set.copyOf(sessions), event.at(), Optional.empty());
            });
        return true;
      }
      case "mqtt.disconnect" -> {
        clients.compute(
            event.subject(),
            (id, old) -> {
              Set<String> sessions = old == null ? new HashSet<>() : new HashSet<>(old.sessions());
              sessions.remove(session);
              if (sessions.isEmpty() && clients.size() > MAX_REMEMBERED) {
                return null;
              }
              return new Entry(Set.copyOf(sessions), event.at(), Optional.of(event.reason()));
            });
        return true;
      }
      default -> {
        return false;
      }
    }
  }

  ConnectivityState of(String clientId) {
    Entry entry = clients.get(clientId);
    if (entry == null) {
      return ConnectivityState.NEVER_SEEN;
    }
    return new ConnectivityState(
        !entry.sessions().isEmpty(),
        Optional.of(entry.timestamp()),
        entry.sessions().isEmpty() ? entry.reason() : Optional.empty());
  }
}
