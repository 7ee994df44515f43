package io.mamori.hub.mqtt;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A persistent session (clean session false / session expiry above zero) as stored.
 *
 * @param principalId certificate id of the last connection; a queued message is only delivered to a
 *     later connection whose permissions still allow {@code iot:Receive}
 * @param expiryIntervalSeconds how long the session outlives its connection
 * @param disconnectedAt when its last connection ended; empty while connected
 */
public record StoredSession(
    String clientId,
    String principalId,
    List<StoredSubscription> subscriptions,
    long expiryIntervalSeconds,
    Optional<Instant> disconnectedAt) {
  public StoredSession {
    subscriptions = List.copyOf(subscriptions);
  }
}
