package io.mamori.hub.mqtt;

import io.mamori.hub.config.BrokerLimits;
import java.util.Objects;

/**
 * Where the broker listens and the limits it enforces.
 *
 * @param host address to bind, e.g. {@code 0.0.0.0}
 * @param port TCP port; 0 picks a free one (see {@link MqttBroker#port()})
 */
public record MqttBrokerSettings(String host, int port, BrokerLimits limits) {
  public MqttBrokerSettings {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(limits, "limits");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be between 0 and 65535");
    }
  }
}
