package io.mamori.hub.mqtt.connection;

import io.mamori.hub.events.EventPublisher;
import io.mamori.hub.events.HubEvent;
import java.time.Clock;
import java.util.Map;

/** The broker's security events (connect, disconnect, denials, TLS failures) in one place. */
public final class ConnectionEvents {
  static final String UNKNOWN = "unknown";
  private final EventPublisher events;
  private final Clock clock;

  public ConnectionEvents(EventPublisher events, Clock clock) {
    this.events = events;
    this.clock = clock;
  }

  void connected(String principalId, String clientId, int protocolVersion, boolean sessionPresent) {
    events.publish(
        HubEvent.success("mqtt.connect", clock.instant(), principalId, clientId)
            .with("protocolVersion", String.valueOf(protocolVersion))
            .with("sessionPresent", String.valueOf(sessionPresent)));
  }

  void connectDenied(String principalId, String clientId, String reason) {
    // A refused client id may be up to 64 KB of attacker-chosen text: keep the event readable.
    String subject = clientId.length() > 256 ? clientId.substring(0, 256) + "..." : clientId;
    events.publish(HubEvent.denied("mqtt.connect", clock.instant(), principalId, subject, reason));
  }

  void disconnected(String principalId, String clientId, DisconnectReason reason) {
    events.publish(
        new HubEvent(
            "mqtt.disconnect",
            clock.instant(),
            principalId,
            clientId,
            HubEvent.SUCCESS,
            reason.name(),
            Map.of()));
  }

  void publishDenied(String principalId, String clientId, String topic, String reason) {
    events.publish(
        HubEvent.denied("mqtt.publish", clock.instant(), principalId, clientId, reason)
            .with("topic", topic));
  }

  /** A granted subscription (AWS publishes the same fact as a lifecycle event, §7.6). */
  void subscribed(String principalId, String clientId, String filter) {
    events.publish(
        HubEvent.success("mqtt.subscribe", clock.instant(), principalId, clientId)
            .with("topicFilter", filter));
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
