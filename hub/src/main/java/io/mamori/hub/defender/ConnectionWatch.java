package io.mamori.hub.defender;

import io.mamori.hub.events.HubEvent;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Live MQTT connections as the event bus reports them (connect and disconnect share a session
 * identifier), and client ids seen from more than one certificate at once. Feeds the
 * connection-based audit checks; only map updates on the publishing thread.
 */
public final class ConnectionWatch implements Consumer<HubEvent> {
  static final int MAX_CONFLICTS = 10_000;

  /** One live connection. */
  public record Live(String sessionId, String certificateId, String clientId, Instant since) {}

  /** A client id that connections of several certificates used while another was live. */
  public record Conflict(String clientId, Set<String> certificateIds, Instant lastSeen) {}

  private final Map<String, Live> live = new ConcurrentHashMap<>();
  private final Map<String, Conflict> conflicts = new ConcurrentHashMap<>();

  @Override
  public void accept(HubEvent event) {
    String session = event.details().get("sessionIdentifier");
    if (session == null) {
      return;
    }
    if (event.type().equals("mqtt.connect") && HubEvent.SUCCESS.equals(event.outcome())) {
      for (Live other : live.values()) {
        if (other.clientId().equals(event.subject())
            && !other.certificateId().equals(event.actor())) {
          recordConflict(event.subject(), other.certificateId(), event.actor(), event.at());
        }
      }
      live.put(session, new Live(session, event.actor(), event.subject(), event.at()));
    } else if (event.type().equals("mqtt.disconnect")) {
      live.remove(session);
    }
  }

  private void recordConflict(String clientId, String first, String second, Instant at) {
    if (conflicts.size() >= MAX_CONFLICTS && !conflicts.containsKey(clientId)) {
      return;
    }
    conflicts.compute(
        clientId,
        (id, known) -> {
          TreeSet<String> certificates =
              new TreeSet<>(known == null ? Set.of() : known.certificateIds());
          certificates.add(first);
          certificates.add(second);
          // Sorted, so findings name the certificates in a stable order.
          return new Conflict(id, java.util.Collections.unmodifiableSortedSet(certificates), at);
        });
  }

  public List<Live> live() {
    return List.copyOf(live.values());
  }

  public List<Conflict> conflicts() {
    return List.copyOf(conflicts.values());
  }
}
