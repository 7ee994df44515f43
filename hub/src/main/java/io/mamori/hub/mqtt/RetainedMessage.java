package io.mamori.hub.mqtt;

import java.time.Instant;

/** A retained message as stored: the last retained PUBLISH of a topic. */
public record RetainedMessage(String topic, byte[] payload, int qos, Instant storedAt) {}
