package io.mamori.hub.mqtt.connection;

import io.mamori.hub.config.BrokerLimits;
import io.mamori.hub.mqtt.Authenticator;
import io.mamori.hub.mqtt.TrafficMeter;
import io.mamori.hub.mqtt.session.Sessions;
import java.time.Clock;
import java.util.concurrent.Executor;

/**
 * What the connection handlers share: limits, the authenticator, sessions, connections, message
 * dispatch, events, the clock, the bounded worker executor for blocking work and the traffic meter.
 */
public record BrokerContext(
    BrokerLimits limits,
    Authenticator authenticator,
    Sessions sessions,
    Connections connections,
    Dispatcher dispatcher,
    ConnectionEvents events,
    Clock clock,
    Executor worker,
    TrafficMeter traffic) {

  /** A context whose PUBLISH traffic is not counted. */
  public BrokerContext(
      BrokerLimits limits,
      Authenticator authenticator,
      Sessions sessions,
      Connections connections,
      Dispatcher dispatcher,
      ConnectionEvents events,
      Clock clock,
      Executor worker) {
    this(
        limits,
        authenticator,
        sessions,
        connections,
        dispatcher,
        events,
        clock,
        worker,
        TrafficMeter.NONE);
  }
}
