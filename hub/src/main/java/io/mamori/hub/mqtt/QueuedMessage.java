package io.mamori.hub.mqtt;

import java.time.Instant;

/**
 * A QoS 1 message waiting for a persistent session: queued while offline, or sent and not yet
 * acknowledged.
 *
 * @param sequence per-session increasing number; order of delivery
 */
public record QueuedMessage(
    long sequence, String topic, byte[] payload, int qos, boolean retain, Instant queuedAt) {}
