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
    int maxRetainedMessages,
    int maxFiltersPerSubscribe,
    int maxPublishesPerSecond,
    int maxConnectsPerSecondPerSource,
    PublishBackPressure publishBackPressure) {

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
        100_000,
        8, // AWS §7.2: subscriptions per SUBSCRIBE call
        100, // AWS §7.2: inbound publishes per second per connection; 0 = unlimited
        0, // off: devices behind one NAT address share it (docs/limits.md)
        // High water = the in-flight window, low = half, 2 s at most (docs/limits.md).
        new PublishBackPressure(100, 50, Duration.ofSeconds(2)));
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
        maxRetainedMessages,
        maxFiltersPerSubscribe,
        maxPublishesPerSecond,
        maxConnectsPerSecondPerSource,
        publishBackPressure);
  }

  public BrokerLimits withMaxFiltersPerSubscribe(int filters) {
    return new BrokerLimits(
        maxPacketSizeBytes,
        maxInflightPerClient,
        maxQueuedMessagesPerSession,
        connectTimeout,
        maxConnections,
        maxSubscriptionsPerClient,
        maxTopicLengthBytes,
        maxClientIdLengthBytes,
        minKeepAliveSeconds,
        maxKeepAliveSeconds,
        defaultSessionExpiry,
        maxSessionExpiry,
        maxRetainedMessages,
        filters,
        maxPublishesPerSecond,
        maxConnectsPerSecondPerSource,
        publishBackPressure);
  }

  /** {@code 0} turns the per-connection publish rate limit off. */
  public BrokerLimits withMaxPublishesPerSecond(int publishes) {
    return new BrokerLimits(
        maxPacketSizeBytes,
        maxInflightPerClient,
        maxQueuedMessagesPerSession,
        connectTimeout,
        maxConnections,
        maxSubscriptionsPerClient,
        maxTopicLengthBytes,
        maxClientIdLengthBytes,
        minKeepAliveSeconds,
        maxKeepAliveSeconds,
        defaultSessionExpiry,
        maxSessionExpiry,
        maxRetainedMessages,
        maxFiltersPerSubscribe,
        publishes,
        maxConnectsPerSecondPerSource,
        publishBackPressure);
  }

  public BrokerLimits withConnectTimeout(Duration timeout) {
    return new BrokerLimits(
        maxPacketSizeBytes,
        maxInflightPerClient,
        maxQueuedMessagesPerSession,
        timeout,
        maxConnections,
        maxSubscriptionsPerClient,
        maxTopicLengthBytes,
        maxClientIdLengthBytes,
        minKeepAliveSeconds,
        maxKeepAliveSeconds,
        defaultSessionExpiry,
        maxSessionExpiry,
        maxRetainedMessages,
        maxFiltersPerSubscribe,
        maxPublishesPerSecond,
        maxConnectsPerSecondPerSource,
        publishBackPressure);
  }

  /** {@code 0} turns the per-source connection rate limit off. */
  public BrokerLimits withMaxConnectsPerSecondPerSource(int connects) {
    return new BrokerLimits(
        maxPacketSizeBytes,
        maxInflightPerClient,
        maxQueuedMessagesPerSession,
        connectTimeout,
        maxConnections,
        maxSubscriptionsPerClient,
        maxTopicLengthBytes,
        maxClientIdLengthBytes,
        minKeepAliveSeconds,
        maxKeepAliveSeconds,
        defaultSessionExpiry,
        maxSessionExpiry,
        maxRetainedMessages,
        maxFiltersPerSubscribe,
        maxPublishesPerSecond,
        connects,
        publishBackPressure);
  }

  public BrokerLimits withPublishBackPressure(PublishBackPressure backPressure) {
    return new BrokerLimits(
        maxPacketSizeBytes,
        maxInflightPerClient,
        maxQueuedMessagesPerSession,
        connectTimeout,
        maxConnections,
        maxSubscriptionsPerClient,
        maxTopicLengthBytes,
        maxClientIdLengthBytes,
        minKeepAliveSeconds,
        maxKeepAliveSeconds,
        defaultSessionExpiry,
        maxSessionExpiry,
        maxRetainedMessages,
        maxFiltersPerSubscribe,
        maxPublishesPerSecond,
        maxConnectsPerSecondPerSource,
        backPressure);
  }
}
