package io.mamori.hub.mqtt.connection;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Live connections indexed by client id (duplicate-client-id takeover) and by principal (revocation
 * closes every connection of a certificate at once).
 */
public final class Connections {
  private final Map<String, MqttConnection> byClientId = new ConcurrentHashMap<>();
  private final Map<String, Set<MqttConnection>> byPrincipal = new ConcurrentHashMap<>();
  private final Map<String, Long> revokedAtNanos = new ConcurrentHashMap<>();

  /** Registers an accepted connection; returns the live connection it takes over, if any. */
  Optional<MqttConnection> register(MqttConnection connection) {
    byPrincipal
        .computeIfAbsent(connection.principalId(), p -> ConcurrentHashMap.newKeySet())
        .add(connection);
    MqttConnection previous = byClientId.put(connection.clientId(), connection);
    return Optional.ofNullable(previous).filter(p -> p != connection);
  }

  /**
   * True if the principal was revoked after {@code sinceNanos} ({@link System#nanoTime}): closes
   * the race between an authenticator's (now stale) answer and {@link #revoke}.
   */
  boolean revokedSince(String principalId, long sinceNanos) {
    Long at = revokedAtNanos.get(principalId);
    return at != null && at - sinceNanos >= 0;
  }

  void unregister(MqttConnection connection) {
    byClientId.remove(connection.clientId(), connection);
    byPrincipal.computeIfPresent(
        connection.principalId(),
        (p, set) -> {
          set.remove(connection);
          return set.isEmpty() ? null : set;
        });
  }

  /** Revokes every live connection of the principal; returns how many. Any thread. */
  public int revoke(String principalId) {
    long now = System.nanoTime();
    revokedAtNanos.put(principalId, now);
    // Old marks only matter for authentications still in flight, which last seconds at most.
    revokedAtNanos.values().removeIf(at -> now - at > 60_000_000_000L);
    Set<MqttConnection> live = byPrincipal.getOrDefault(principalId, Set.of());
    List<MqttConnection> closing = List.copyOf(live);
    closing.forEach(MqttConnection::revoke);
    return closing.size();
  }

  public Collection<MqttConnection> all() {
    return List.copyOf(byClientId.values());
  }

  public int size() {
    return byClientId.size();
  }
}
