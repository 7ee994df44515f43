package io.mamori.hub.registry;

import java.time.Instant;

/** Remembers which expiry warnings were raised, so each is raised once. */
public interface ExpiryNotices {
  /**
   * Records that {@code certificateId} was reported as expiring within {@code windowDays}; false
   * when that was already recorded.
   */
  boolean record(String certificateId, int windowDays, Instant notAfter, Instant at);
}
