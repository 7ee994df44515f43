package io.mamori.hub.mqtt.connection;

import io.mamori.hub.config.BrokerLimits;
import io.mamori.hub.mqtt.Authenticator;
import io.mamori.hub.mqtt.session.Sessions;
import java.time.Clock;
import java.util.concurrent.Executor;

/**
 * What the connection handlers share: limits, the authenticator, sessions, connections, message
 * dispatch, events, the clock and the bounded worker executor for blocking work.
 */
public record BrokerContext(
    BrokerLimits limits,
    Authenticator authenticator,
    Sessions sessions,
    Connections connections,
    Dispatcher dispatcher,
    ConnectionEvents events,
    Clock clock,
    Executor worker) {}
