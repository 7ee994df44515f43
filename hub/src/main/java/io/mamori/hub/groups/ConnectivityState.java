package io.mamori.hub.groups;

import java.time.Instant;
import java.util.Optional;

/**
 * The fleet-index connectivity of a thing (reference §9.4): connected now or not, when that last
 * changed, and why it last disconnected.
 */
public record ConnectivityState(
    boolean connected, Optional<Instant> timestamp, Optional<String> disconnectReason) {
  /** A thing the hub has not seen connect since it started. */
  public static final ConnectivityState NEVER_SEEN =
      new ConnectivityState(false, Optional.empty(), Optional.empty());
}
