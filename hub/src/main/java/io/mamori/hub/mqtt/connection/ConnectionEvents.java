package io.mamori.hub.mqtt.connection;

import io.mamori.hub.events.EventPublisher;
import io.mamori.hub.events.HubEvent;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Clock;
import java.util.Map;

/** The broker's security events (connect, disconnect, denials, TLS failures) in one place. */
public final class ConnectionEvents {
  static final String UNKNOWN = "unknown";

  /** Event detail naming one connection (hex UUID), the same for its connect and disconnect. */
  public static final String SESSION_IDENTIFIER = "sessionIdentifier";

  private final EventPublisher events;
  private final Clock clock;

  public ConnectionEvents(EventPublisher events, Clock clock) {
    this.events = events;
    this.clock = clock;
  }

  /** An accepted connection; its session id and peer address feed AWS lifecycle events (§7.6). */
  void connected(MqttConnection connection, boolean sessionPresent) {
    events.publish(
        HubEvent.success(
                "mqtt.connect", clock.instant(), connection.principalId(), connection.clientId())
            .with("protocolVersion", String.valueOf(connection.protocolVersion()))
            .with("sessionPresent", String.valueOf(sessionPresent))
            .with(SESSION_IDENTIFIER, connection.sessionIdentifier())
            .with("ipAddress", ipAddress(connection)));
  }

  private static String ipAddress(MqttConnection connection) {
    SocketAddress remote = connection.channel().remoteAddress();
    if (remote instanceof InetSocketAddress inet && inet.getAddress() != null) {
      return inet.getAddress().getHostAddress();
    }
    return String.valueOf(remote);
  }

  void connectDenied(String principalId, String clientId, String reason) {
    // A refused client id may be up to 64 KB of attacker-chosen text: keep the event readable.
    String subject = clientId.length() > 256 ? clientId.substring(0, 256) + "..." : clientId;
    events.publish(HubEvent.denied("mqtt.connect", clock.instant(), principalId, subject, reason));
  }

  void disconnected(MqttConnection connection, DisconnectReason reason) {
    events.publish(
        new HubEvent(
            "mqtt.disconnect",
            clock.instant(),
            connection.principalId(),
            connection.clientId(),
            HubEvent.SUCCESS,
            reason.name(),
            Map.of(SESSION_IDENTIFIER, connection.sessionIdentifier())));
  }

  void publishDenied(String principalId, String clientId, String topic, String reason) {
    events.publish(
        HubEvent.denied("mqtt.publish", clock.instant(), principalId, clientId, reason)
            .with("topic", topic));
  }

  /** A granted subscription (AWS publishes the same fact as a lifecycle event, §7.6). */
  void subscribed(MqttConnection connection, String filter) {
    events.publish(
        HubEvent.success(
                "mqtt.subscribe", clock.instant(), connection.principalId(), connection.clientId())
            .with("topicFilter", filter)
            .with(SESSION_IDENTIFIER, connection.sessionIdentifier()));
  }

  /** A removed subscription (AWS publishes it as a lifecycle event, §7.6). */
  void unsubscribed(MqttConnection connection, String filter) {
    events.publish(
        HubEvent.success(
                "mqtt.unsubscribe",
                clock.instant(),
                connection.principalId(),
                connection.clientId())
            .with("topicFilter", filter)
            .with(SESSION_IDENTIFIER, connection.sessionIdentifier()));
  }

  void subscribeDenied(String principalId, String clientId, String filter, String reason) {
    events.publish(
        HubEvent.denied("mqtt.subscribe", clock.instant(), principalId, clientId, reason)
            .with("topicFilter", filter));
  }

  void tlsFailed(String remoteAddress, String reason) {
    events.publish(
        new HubEvent(
            "mqtt.tls",
            clock.instant(),
            UNKNOWN,
            remoteAddress,
            HubEvent.FAILURE,
            reason,
            Map.of()));
  }

  void failure(String type, String actor, String subject, String reason, Map<String, String> d) {
    events.publish(
        new HubEvent(type, clock.instant(), actor, subject, HubEvent.FAILURE, reason, d));
  }
}
