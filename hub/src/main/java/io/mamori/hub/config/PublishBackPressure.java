package io.mamori.hub.config;

import java.time.Duration;

/**
 * When the broker holds back a publisher's QoS 1 PUBACK because a subscriber its message was queued
 * for is behind: from {@code highWater} messages waiting in that subscriber's session queue (behind
 * its in-flight window) until the queue is down to {@code lowWater}, at most {@code maxAckDelay}. A
 * publisher with a bounded in-flight window (QoS 1: MQTT 5 Receive Maximum, or a client's own
 * window) is slowed to the subscriber's pace instead of filling its queue: the queue, and so the
 * delivery latency, stays short and the queue-full refusal is left for subscribers that are stuck.
 *
 * @param highWater queued messages from which a connected subscriber's session counts as congested;
 *     0 turns back-pressure off
 * @param lowWater queued messages at or below which a congested session is relieved and the held
 *     acknowledgements go out
 * @param maxAckDelay longest a PUBACK is held back for congestion (never for durability: an
 *     acknowledgement still waits for its store commit), so one stuck subscriber cannot stall a
 *     publisher forever
 */
public record PublishBackPressure(int highWater, int lowWater, Duration maxAckDelay) {

  /** No back-pressure: PUBACKs go out as soon as the message is queued (and stored). */
  public static final PublishBackPressure OFF =
      new PublishBackPressure(0, 0, Duration.ofSeconds(1));

  public PublishBackPressure {
    if (highWater < 0) {
      throw new IllegalArgumentException("back-pressure high-water mark must be 0 (off) or more");
    }
    if (highWater > 0 && (lowWater < 0 || lowWater >= highWater)) {
      throw new IllegalArgumentException(
          "back-pressure low-water mark must be at least 0 and below the high-water mark "
              + highWater
              + ", was "
              + lowWater);
    }
    if (maxAckDelay == null || maxAckDelay.isNegative() || maxAckDelay.isZero()) {
      throw new IllegalArgumentException("back-pressure maximum PUBACK delay must be positive");
    }
  }

  public boolean enabled() {
    return highWater > 0;
  }
}
