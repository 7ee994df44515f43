package io.mamori.hub.mqtt.connection;

import static org.assertj.core.api.Assertions.assertThat;

import io.mamori.hub.mqtt.AuthenticationResult;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class ConnectHandlerTest {
  private final EmbeddedBroker broker = new EmbeddedBroker();

  private static MqttConnAckMessage connAck(EmbeddedChannel channel) {
    channel.runPendingTasks();
    return channel.readOutbound();
  }

  @Test
  void firstPacketOtherThanConnectClosesTheConnection() {
    EmbeddedChannel channel = broker.channel();
    channel.writeInbound(
        MqttMessageBuilders.publish()
            .topicName("a")
            .qos(MqttQoS.AT_MOST_ONCE)
            .payload(io.netty.buffer.Unpooled.EMPTY_BUFFER)
            .build());
    assertThat(channel.isOpen()).isFalse();
    assertThat((Object) channel.readOutbound()).isNull();
  }

  @Test
  void acceptedConnectGetsConnAckAndASecondConnectClosesTheConnection() {
    EmbeddedChannel channel = broker.channel();
    channel.writeInbound(EmbeddedBroker.connect(MqttVersion.MQTT_3_1_1, "dev"));
    assertThat(connAck(channel).variableHeader().connectReturnCode())
        .isEqualTo(MqttConnectReturnCode.CONNECTION_ACCEPTED);
    assertThat(broker.events("mqtt.connect"))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.actor()).isEqualTo("cert-1");
              assertThat(e.subject()).isEqualTo("dev");
            });

    channel.writeInbound(EmbeddedBroker.connect(MqttVersion.MQTT_3_1_1, "dev"));
    channel.runPendingTasks();
    assertThat(channel.isOpen()).isFalse();
    assertThat(broker.events("mqtt.disconnect"))
        .singleElement()
        .satisfies(e -> assertThat(e.reason()).isEqualTo("CLIENT_ERROR"));
  }

  @Test
  void refusedConnectGetsNotAuthorizedOnBothVersionsAndIsClosed() {
    EmbeddedChannel v3 = broker.channel();
    v3.writeInbound(EmbeddedBroker.connect(MqttVersion.MQTT_3_1_1, "refused-3"));
    assertThat(connAck(v3).variableHeader().connectReturnCode())
        .isEqualTo(MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED);
    assertThat(v3.isOpen()).isFalse();

    EmbeddedChannel v5 = broker.channel();
    v5.writeInbound(EmbeddedBroker.connect(MqttVersion.MQTT_5, "refused-5"));
    assertThat(connAck(v5).variableHeader().connectReturnCode())
        .isEqualTo(MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED_5);
    assertThat(broker.events("mqtt.connect"))
        .hasSize(2)
        .allMatch(e -> e.outcome().equals("denied"));
  }

  @Test
  void packetsSentBeforeConnAckWaitForTheAuthenticationAndAreReplayed() {
    var pending = new CompletableFuture<AuthenticationResult>();
    var slow = new EmbeddedBroker(request -> pending);
    EmbeddedChannel channel = slow.channel();
    channel.writeInbound(EmbeddedBroker.connect(MqttVersion.MQTT_5, "eager"));
    channel.writeInbound(
        new MqttMessage(
            new io.netty.handler.codec.mqtt.MqttFixedHeader(
                io.netty.handler.codec.mqtt.MqttMessageType.PINGREQ,
                false,
                MqttQoS.AT_MOST_ONCE,
                false,
                0)));
    assertThat((Object) channel.readOutbound()).isNull();

    pending.complete(
        new AuthenticationResult.Accepted(new io.mamori.hub.mqtt.PrefixAuthorization("cert-1")));
    MqttConnAckMessage ack = connAck(channel);
    assertThat(ack.variableHeader().connectReturnCode())
        .isEqualTo(MqttConnectReturnCode.CONNECTION_ACCEPTED);
    MqttMessage pong = channel.readOutbound();
    assertThat(pong.fixedHeader().messageType())
        .isEqualTo(io.netty.handler.codec.mqtt.MqttMessageType.PINGRESP);
  }

  @Test
  void failingAuthenticatorAnswersServerUnavailable() {
    var failing =
        new EmbeddedBroker(
            request -> CompletableFuture.failedFuture(new IllegalStateException("db down")));
    EmbeddedChannel channel = failing.channel();
    channel.writeInbound(EmbeddedBroker.connect(MqttVersion.MQTT_3_1_1, "dev"));
    assertThat(connAck(channel).variableHeader().connectReturnCode())
        .isEqualTo(MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE);
  }
}
