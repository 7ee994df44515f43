package io.mamori.hub.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mamori.hub.events.HubEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LifecycleEventsTest {
  private static final Instant AT = Instant.parse("2026-11-23T10:00:00.123Z");
  private static final String CERT = "c0ffee";
  private final ObjectMapper json = new ObjectMapper();
  private final List<String> topics = new ArrayList<>();
  private final List<JsonNode> payloads = new ArrayList<>();
  private final LifecycleEvents lifecycle =
      new LifecycleEvents(
          (topic, payload) -> {
            topics.add(topic);
            try {
              payloads.add(json.readTree(payload));
            } catch (java.io.IOException e) {
              throw new AssertionError(e);
            }
          });

  private static HubEvent connect(String clientId, String session) {
    return HubEvent.success("mqtt.connect", AT, CERT, clientId)
        .with("protocolVersion", "5")
        .with("sessionPresent", "false")
        .with("sessionIdentifier", session)
        .with("ipAddress", "127.0.0.1");
  }

  private static HubEvent disconnect(String clientId, String session, String reason) {
    return new HubEvent(
        "mqtt.disconnect",
        AT,
        CERT,
        clientId,
        HubEvent.SUCCESS,
        reason,
        Map.of("sessionIdentifier", session));
  }

  private static List<String> keys(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  @Test
  void connectBecomesThePresenceConnectedDocument() {
    lifecycle.accept(connect("sensor-1", "abc123"));

    assertThat(topics).containsExactly("$aws/events/presence/connected/sensor-1");
    JsonNode body = payloads.get(0);
    assertThat(keys(body))
        .containsExactlyInAnyOrder(
            "clientId",
            "timestamp",
            "eventType",
            "sessionIdentifier",
            "principalIdentifier",
            "ipAddress",
            "versionNumber");
    assertThat(body.get("clientId").asText()).isEqualTo("sensor-1");
    assertThat(body.get("timestamp").isIntegralNumber()).isTrue();
    assertThat(body.get("timestamp").asLong()).isEqualTo(AT.toEpochMilli());
    assertThat(body.get("eventType").asText()).isEqualTo("connected");
    assertThat(body.get("sessionIdentifier").asText()).isEqualTo("abc123");
    assertThat(body.get("principalIdentifier").asText()).isEqualTo(CERT);
    assertThat(body.get("ipAddress").asText()).isEqualTo("127.0.0.1");
    assertThat(body.get("versionNumber").isIntegralNumber()).isTrue();
    assertThat(body.get("versionNumber").asLong()).isZero();
  }

  @Test
  void disconnectBecomesThePresenceDisconnectedDocumentWithItsReason() {
    lifecycle.accept(connect("sensor-1", "s1"));
    lifecycle.accept(disconnect("sensor-1", "s1", "CLIENT_INITIATED_DISCONNECT"));

    assertThat(topics.get(1)).isEqualTo("$aws/events/presence/disconnected/sensor-1");
    JsonNode body = payloads.get(1);
    assertThat(keys(body))
        .containsExactlyInAnyOrder(
            "clientId",
            "timestamp",
            "eventType",
            "sessionIdentifier",
            "principalIdentifier",
            "clientInitiatedDisconnect",
            "disconnectReason",
            "versionNumber");
    assertThat(body.get("eventType").asText()).isEqualTo("disconnected");
    assertThat(body.get("timestamp").asLong()).isEqualTo(AT.toEpochMilli());
    assertThat(body.get("sessionIdentifier").asText()).isEqualTo("s1");
    assertThat(body.get("principalIdentifier").asText()).isEqualTo(CERT);
    assertThat(body.get("clientInitiatedDisconnect").isBoolean()).isTrue();
    assertThat(body.get("clientInitiatedDisconnect").asBoolean()).isTrue();
    assertThat(body.get("disconnectReason").asText()).isEqualTo("CLIENT_INITIATED_DISCONNECT");
    assertThat(body.get("versionNumber").asLong()).isZero();
  }

  @Test
  void aServerSideDisconnectIsNotClientInitiated() {
    lifecycle.accept(connect("sensor-1", "s1"));
    lifecycle.accept(disconnect("sensor-1", "s1", "MQTT_KEEP_ALIVE_TIMEOUT"));

    assertThat(payloads.get(1).get("clientInitiatedDisconnect").asBoolean()).isFalse();
    assertThat(payloads.get(1).get("disconnectReason").asText())
        .isEqualTo("MQTT_KEEP_ALIVE_TIMEOUT");
  }

  @Test
  void subscribeAndUnsubscribeBecomeSubscriptionDocumentsWithTheirTopics() {
    lifecycle.accept(
        HubEvent.success("mqtt.subscribe", AT, CERT, "sensor-1")
            .with("topicFilter", "devices/sensor-1/#")
            .with("sessionIdentifier", "s1"));
    lifecycle.accept(
        HubEvent.success("mqtt.unsubscribe", AT, CERT, "sensor-1")
            .with("topicFilter", "devices/sensor-1/#")
            .with("sessionIdentifier", "s1"));

    assertThat(topics)
        .containsExactly(
            "$aws/events/subscriptions/subscribed/sensor-1",
            "$aws/events/subscriptions/unsubscribed/sensor-1");
    for (int i = 0; i < 2; i++) {
      JsonNode body = payloads.get(i);
      assertThat(keys(body))
          .containsExactlyInAnyOrder(
              "clientId",
              "timestamp",
              "eventType",
              "sessionIdentifier",
              "principalIdentifier",
              "topics");
      assertThat(body.get("timestamp").asLong()).isEqualTo(AT.toEpochMilli());
      assertThat(body.get("topics").isArray()).isTrue();
      assertThat(body.get("topics")).hasSize(1);
      assertThat(body.get("topics").get(0).asText()).isEqualTo("devices/sensor-1/#");
    }
    assertThat(payloads.get(0).get("eventType").asText()).isEqualTo("subscribed");
    assertThat(payloads.get(1).get("eventType").asText()).isEqualTo("unsubscribed");
  }

  @Test
  void clientIdsWithWildcardCharactersGetNoLifecycleEvents() {
    lifecycle.accept(connect("a#b", "s1"));
    lifecycle.accept(connect("a+b", "s2"));
    lifecycle.accept(disconnect("a#b", "s1", "CLIENT_INITIATED_DISCONNECT"));
    lifecycle.accept(HubEvent.success("mqtt.subscribe", AT, CERT, "a+b").with("topicFilter", "x"));

    assertThat(topics).isEmpty();
  }

  @Test
  void deniedAndUnrelatedEventsPublishNothing() {
    lifecycle.accept(HubEvent.denied("mqtt.connect", AT, CERT, "sensor-1", "policy"));
    lifecycle.accept(HubEvent.denied("mqtt.subscribe", AT, CERT, "sensor-1", "policy"));
    lifecycle.accept(HubEvent.success("thing.created", AT, "admin", "sensor-1"));

    assertThat(topics).isEmpty();
  }

  @Test
  void versionNumberGrowsPerClientIdAndADisconnectKeepsItsConnectsNumber() {
    lifecycle.accept(connect("a", "s1"));
    lifecycle.accept(connect("b", "s2"));
    // AWS §7.1: a second connection with the same client id takes over; the old one ends later.
    lifecycle.accept(connect("a", "s3"));
    lifecycle.accept(disconnect("a", "s1", "DUPLICATE_CLIENTID"));
    lifecycle.accept(disconnect("a", "s3", "CLIENT_INITIATED_DISCONNECT"));

    assertThat(payloads)
        .extracting(p -> p.get("clientId").asText() + " " + p.get("eventType").asText())
        .containsExactly(
            "a connected", "b connected", "a connected", "a disconnected", "a disconnected");
    assertThat(payloads)
        .extracting(p -> p.get("versionNumber").asLong())
        .containsExactly(0L, 0L, 1L, 0L, 1L);
  }

  @Test
  void aTopicTheBrokerRefusesIsDroppedWithoutFailingTheEventBus() {
    var refusing =
        new LifecycleEvents(
            (topic, payload) -> {
              throw new IllegalArgumentException("invalid topic: too long");
            });

    refusing.accept(connect("sensor-1", "s1"));
    // No exception: the next subscriber on the bus still runs.
  }

  @Test
  void nothingIsPublishedWhileNobodySubscribesButVersionsStillCount() {
    java.util.Set<String> listened = new java.util.HashSet<>();
    var gated =
        new LifecycleEvents(
            (topic, payload) -> {
              topics.add(topic);
              try {
                payloads.add(json.readTree(payload));
              } catch (java.io.IOException e) {
                throw new AssertionError(e);
              }
            },
            listened::contains);

    gated.accept(connect("sensor-1", "s1"));
    gated.accept(disconnect("sensor-1", "s1", "CLIENT_INITIATED_DISCONNECT"));
    assertThat(topics).isEmpty();

    listened.add("$aws/events/presence/connected/sensor-1");
    gated.accept(connect("sensor-1", "s2"));

    assertThat(topics).containsExactly("$aws/events/presence/connected/sensor-1");
    // The unheard first connect still took version 0, as AWS numbers every connect.
    assertThat(payloads.get(0).get("versionNumber").asLong()).isEqualTo(1L);
  }
}
