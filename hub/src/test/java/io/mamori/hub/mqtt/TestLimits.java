package io.mamori.hub.mqtt;

import io.mamori.hub.config.BrokerLimits;

/** Default broker limits with one value changed, for tests that exercise that limit. */
public final class TestLimits {
  private TestLimits() {}

  public static BrokerLimits withMaxPacketSize(int bytes) {
    var d = BrokerLimits.defaults();
    return new BrokerLimits(
        bytes,
        d.maxInflightPerClient(),
        d.maxQueuedMessagesPerSession(),
        d.connectTimeout(),
        d.maxConnections(),
        d.maxSubscriptionsPerClient(),
        d.maxTopicLengthBytes(),
        d.maxClientIdLengthBytes(),
        d.minKeepAliveSeconds(),
        d.maxKeepAliveSeconds(),
        d.defaultSessionExpiry(),
        d.maxSessionExpiry(),
        d.maxRetainedMessages(),
        d.maxFiltersPerSubscribe(),
        d.maxPublishesPerSecond(),
        d.maxConnectsPerSecondPerSource(),
        d.publishBackPressure());
  }

  public static BrokerLimits withMinKeepAlive(int seconds) {
    var d = BrokerLimits.defaults();
    return new BrokerLimits(
        d.maxPacketSizeBytes(),
        d.maxInflightPerClient(),
        d.maxQueuedMessagesPerSession(),
        d.connectTimeout(),
        d.maxConnections(),
        d.maxSubscriptionsPerClient(),
        d.maxTopicLengthBytes(),
        d.maxClientIdLengthBytes(),
        seconds,
        d.maxKeepAliveSeconds(),
        d.defaultSessionExpiry(),
        d.maxSessionExpiry(),
        d.maxRetainedMessages(),
        d.maxFiltersPerSubscribe(),
        d.maxPublishesPerSecond(),
        d.maxConnectsPerSecondPerSource(),
        d.publishBackPressure());
  }

  public static BrokerLimits withMaxSubscriptions(int count) {
    var d = BrokerLimits.defaults();
    return new BrokerLimits(
        d.maxPacketSizeBytes(),
        d.maxInflightPerClient(),
        d.maxQueuedMessagesPerSession(),
        d.connectTimeout(),
        d.maxConnections(),
        count,
        d.maxTopicLengthBytes(),
        d.maxClientIdLengthBytes(),
        d.minKeepAliveSeconds(),
        d.maxKeepAliveSeconds(),
        d.defaultSessionExpiry(),
        d.maxSessionExpiry(),
        d.maxRetainedMessages(),
        d.maxFiltersPerSubscribe(),
        d.maxPublishesPerSecond(),
        d.maxConnectsPerSecondPerSource(),
        d.publishBackPressure());
  }
}
