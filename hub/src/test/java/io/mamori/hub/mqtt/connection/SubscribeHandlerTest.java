package io.mamori.hub.mqtt.connection;

import static org.assertj.core.api.Assertions.assertThat;

import io.mamori.hub.mqtt.AuthenticationResult;
import io.mamori.hub.mqtt.PrefixAuthorization;
import io.mamori.hub.mqtt.TestLimits;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttUnsubAckMessage;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class SubscribeHandlerTest {
  private final EmbeddedBroker broker =
      new EmbeddedBroker(
          request ->
              CompletableFuture.completedFuture(
                  new AuthenticationResult.Accepted(new PrefixAuthorization("cert-1"))),
          TestLimits.withMaxSubscriptions(2));

  private EmbeddedChannel connected(MqttVersion version) {
    EmbeddedChannel channel = broker.channel();
    channel.writeInbound(EmbeddedBroker.connect(version, "dev-" + version));
    channel.runPendingTasks();
    channel.readOutbound(); // CONNACK
    return channel;
  }

  private static MqttSubAckMessage subscribe(EmbeddedChannel channel, String... filters) {
    var builder = MqttMessageBuilders.subscribe().messageId(3);
    for (String f : filters) {
      builder.addSubscription(MqttQoS.EXACTLY_ONCE, f);
    }
    channel.writeInbound(builder.build());
    return channel.readOutbound();
  }

  @Test
  void mqtt5SubAckCarriesAReasonCodePerFilter() {
    EmbeddedChannel channel = connected(MqttVersion.MQTT_5);
    var ack = subscribe(channel, "a/+", "forbidden/x", "a/#/b", "$share/g/a", "b/c", "c/d");
    // granted QoS 1 (QoS 2 asked), not authorized, filter invalid, shared subscriptions not
    // supported, granted, quota exceeded (limit 2).
    assertThat(ack.payload().reasonCodes()).containsExactly(1, 0x87, 0x8F, 0x9E, 1, 0x97);
    assertThat(broker.events("mqtt.subscribe"))
        .filteredOn(e -> e.outcome().equals("denied"))
        .singleElement()
        .satisfies(e -> assertThat(e.details()).containsEntry("topicFilter", "forbidden/x"));
    assertThat(broker.events("mqtt.subscribe"))
        .filteredOn(e -> e.outcome().equals("success"))
        .extracting(e -> e.details().get("topicFilter"))
        .containsExactly("a/+", "b/c");
  }

  @Test
  void mqtt311SubAckUsesTheSingleFailureCode() {
    EmbeddedChannel channel = connected(MqttVersion.MQTT_3_1_1);
    var ack = subscribe(channel, "a/+", "forbidden/x", "a/#/b");
    assertThat(ack.payload().reasonCodes()).containsExactly(1, 0x80, 0x80);
  }

  @Test
  void unsubscribeFreesTheSlotAndReportsMissingSubscriptionsOnMqtt5() {
    EmbeddedChannel channel = connected(MqttVersion.MQTT_5);
    subscribe(channel, "a", "b");
    channel.writeInbound(
        MqttMessageBuilders.unsubscribe()
            .messageId(4)
            .addTopicFilter("a")
            .addTopicFilter("zz")
            .build());
    MqttUnsubAckMessage unsubAck = channel.readOutbound();
    assertThat(unsubAck.payload().unsubscribeReasonCodes())
        .containsExactly((short) 0, (short) 0x11);
    assertThat(subscribe(channel, "c").payload().reasonCodes()).containsExactly(1);
  }

  @Test
  void eachGrantedSubscribeAndRemovedSubscriptionIsReportedWithTheConnectionsSession() {
    EmbeddedChannel channel = connected(MqttVersion.MQTT_5);
    subscribe(channel, "a");
    channel.writeInbound(
        MqttMessageBuilders.unsubscribe()
            .messageId(4)
            .addTopicFilter("a")
            .addTopicFilter("never-subscribed")
            .build());
    channel.readOutbound(); // UNSUBACK

    String session =
        broker.events("mqtt.connect").get(0).details().get(ConnectionEvents.SESSION_IDENTIFIER);
    assertThat(session).matches("[0-9a-f]{32}");
    assertThat(broker.events("mqtt.subscribe"))
        .singleElement()
        .satisfies(
            e ->
                assertThat(e.details())
                    .containsEntry(ConnectionEvents.SESSION_IDENTIFIER, session));
    // Only a subscription that existed is reported as removed (AWS §7.6 unsubscribed event).
    assertThat(broker.events("mqtt.unsubscribe"))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.outcome()).isEqualTo("success");
              assertThat(e.actor()).isEqualTo("cert-1");
              assertThat(e.subject()).isEqualTo("dev-MQTT_5");
              assertThat(e.details())
                  .containsEntry("topicFilter", "a")
                  .containsEntry(ConnectionEvents.SESSION_IDENTIFIER, session);
            });
  }

  @Test
  void connectAndItsDisconnectShareOneSessionIdentifierAndConnectNamesThePeer() {
    EmbeddedChannel first = connected(MqttVersion.MQTT_5);
    first.close();
    first.runPendingTasks();
    EmbeddedChannel second = connected(MqttVersion.MQTT_3_1_1);
    second.close();
    second.runPendingTasks();

    var connects = broker.events("mqtt.connect");
    var disconnects = broker.events("mqtt.disconnect");
    assertThat(connects).hasSize(2);
    assertThat(disconnects).hasSize(2);
    for (int i = 0; i < 2; i++) {
      assertThat(disconnects.get(i).details().get(ConnectionEvents.SESSION_IDENTIFIER))
          .isEqualTo(connects.get(i).details().get(ConnectionEvents.SESSION_IDENTIFIER));
      assertThat(connects.get(i).details()).containsKey("ipAddress");
    }
    assertThat(connects.get(0).details().get(ConnectionEvents.SESSION_IDENTIFIER))
        .isNotEqualTo(connects.get(1).details().get(ConnectionEvents.SESSION_IDENTIFIER));
  }
}
