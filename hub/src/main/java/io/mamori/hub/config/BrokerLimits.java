package io.mamori.hub.config;

import java.time.Duration;

/**
 * Every limit the MQTT broker enforces, with safe defaults (AWS IoT Core's quotas where they exist,
 * reference §7.2). Exceeding one is refused the protocol-correct way, never by a crash.
 */
public record BrokerLimits(
    int maxPacketSizeBytes,
    int maxInflightPerClient,
    int maxQueuedMessagesPerSession,
    Duration connectTimeout,
    int maxConnections,
    int maxSubscriptionsPerClient,
    int maxTopicLengthBytes,
    int maxClientIdLengthBytes,
    int minKeepAliveSeconds,
    int maxKeepAliveSeconds,
    Duration defaultSessionExpiry,
    Duration maxSessionExpiry,
    int maxRetainedMessages) {

  /** Defaults modelled on AWS IoT Core's broker quotas (reference §7.2). */
  public static BrokerLimits defaults() {
    return new BrokerLimits(
        128 * 1024 + 1024, // 128 KB payload plus room for headers and topic
        100,
        1000,
        Duration.ofSeconds(10),
        50_000,
        50,
        256,
        128,
        30,
        1200,
        Duration.ofHours(1),
        Duration.ofDays(7),
        100_000);
  }

  public BrokerLimits withMaxConnections(int connections) {
    return new BrokerLimits(
        maxPacketSizeBytes,
        maxInflightPerClient,
        maxQueuedMessagesPerSession,
        connectTimeout,
        connections,
        maxSubscriptionsPerClient,
        maxTopicLengthBytes,
        maxClientIdLengthBytes,
        minKeepAliveSeconds,
        maxKeepAliveSeconds,
        defaultSessionExpiry,
        maxSessionExpiry,
        maxRetainedMessages);
  }
}
