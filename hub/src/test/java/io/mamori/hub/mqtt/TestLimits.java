package io.mamori.hub.mqtt;

import io.mamori.hub.config.BrokerLimits;

/** Default broker limits with one value changed, for tests that exercise that limit. */
public final class TestLimits {
  private TestLimits() {}

  public static BrokerLimits withMaxPacketSize(int bytes) {
    return BrokerLimits.defaults().toBuilder().maxPacketSizeBytes(bytes).build();
  }

  public static BrokerLimits withMinKeepAlive(int seconds) {
    return BrokerLimits.defaults().toBuilder().minKeepAliveSeconds(seconds).build();
  }

  public static BrokerLimits withMaxSubscriptions(int count) {
    return BrokerLimits.defaults().toBuilder().maxSubscriptionsPerClient(count).build();
  }
}
