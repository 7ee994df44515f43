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
    return toBuilder().maxConnections(connections).build();
  }

  public BrokerLimits withMaxFiltersPerSubscribe(int filters) {
    return toBuilder().maxFiltersPerSubscribe(filters).build();
  }

  /** {@code 0} turns the per-connection publish rate limit off. */
  public BrokerLimits withMaxPublishesPerSecond(int publishes) {
    return toBuilder().maxPublishesPerSecond(publishes).build();
  }

  public BrokerLimits withConnectTimeout(Duration timeout) {
    return toBuilder().connectTimeout(timeout).build();
  }

  /** {@code 0} turns the per-source connection rate limit off. */
  public BrokerLimits withMaxConnectsPerSecondPerSource(int connects) {
    return toBuilder().maxConnectsPerSecondPerSource(connects).build();
  }

  public BrokerLimits withPublishBackPressure(PublishBackPressure backPressure) {
    return toBuilder().publishBackPressure(backPressure).build();
  }

  /** A builder starting from these limits, to change a few of them. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /**
   * These limits with some values changed: the one place that lists every component, so that adding
   * a limit touches the record, {@link #defaults()} and this class, not every copy.
   */
  public static final class Builder {
    private int maxPacketSizeBytes;
    private int maxInflightPerClient;
    private int maxQueuedMessagesPerSession;
    private Duration connectTimeout;
    private int maxConnections;
    private int maxSubscriptionsPerClient;
    private int maxTopicLengthBytes;
    private int maxClientIdLengthBytes;
    private int minKeepAliveSeconds;
    private int maxKeepAliveSeconds;
    private Duration defaultSessionExpiry;
    private Duration maxSessionExpiry;
    private int maxRetainedMessages;
    private int maxFiltersPerSubscribe;
    private int maxPublishesPerSecond;
    private int maxConnectsPerSecondPerSource;
    private PublishBackPressure publishBackPressure;

    private Builder(BrokerLimits from) {
      maxPacketSizeBytes = from.maxPacketSizeBytes;
      maxInflightPerClient = from.maxInflightPerClient;
      maxQueuedMessagesPerSession = from.maxQueuedMessagesPerSession;
      connectTimeout = from.connectTimeout;
      maxConnections = from.maxConnections;
      maxSubscriptionsPerClient = from.maxSubscriptionsPerClient;
      maxTopicLengthBytes = from.maxTopicLengthBytes;
      maxClientIdLengthBytes = from.maxClientIdLengthBytes;
      minKeepAliveSeconds = from.minKeepAliveSeconds;
      maxKeepAliveSeconds = from.maxKeepAliveSeconds;
      defaultSessionExpiry = from.defaultSessionExpiry;
      maxSessionExpiry = from.maxSessionExpiry;
      maxRetainedMessages = from.maxRetainedMessages;
      maxFiltersPerSubscribe = from.maxFiltersPerSubscribe;
      maxPublishesPerSecond = from.maxPublishesPerSecond;
      maxConnectsPerSecondPerSource = from.maxConnectsPerSecondPerSource;
      publishBackPressure = from.publishBackPressure;
    }

    public Builder maxPacketSizeBytes(int value) {
      maxPacketSizeBytes = value;
      return this;
    }

    public Builder connectTimeout(Duration value) {
      connectTimeout = value;
      return this;
    }

    public Builder maxConnections(int value) {
      maxConnections = value;
      return this;
    }

    public Builder maxSubscriptionsPerClient(int value) {
      maxSubscriptionsPerClient = value;
      return this;
    }

    public Builder minKeepAliveSeconds(int value) {
      minKeepAliveSeconds = value;
      return this;
    }

    public Builder maxFiltersPerSubscribe(int value) {
      maxFiltersPerSubscribe = value;
      return this;
    }

    public Builder maxPublishesPerSecond(int value) {
      maxPublishesPerSecond = value;
      return this;
    }

    public Builder maxConnectsPerSecondPerSource(int value) {
      maxConnectsPerSecondPerSource = value;
      return this;
    }

    public Builder publishBackPressure(PublishBackPressure value) {
      publishBackPressure = value;
      return this;
    }

    public BrokerLimits build() {
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
          publishBackPressure);
    }
  }
}
