package io.mamori.hub.mqtt;

/** One subscription of a persistent session. */
public record StoredSubscription(String topicFilter, int qos) {}
