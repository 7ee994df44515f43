package io.mamori.hub.mqtt.connection;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttVersion;
import org.junit.jupiter.api.Test;

class PublishHandlerTest {
  private final EmbeddedBroker broker = new EmbeddedBroker();

  private EmbeddedChannel connected(MqttVersion version) {
    EmbeddedChannel channel = broker.channel();
    channel.writeInbound(EmbeddedBroker.connect(version, "dev-" + version));
    channel.runPendingTasks();
    channel.readOutbound(); // CONNACK
    return channel;
  }

  private static MqttPublishMessage publish(String topic, MqttQoS qos) {
    return MqttMessageBuilders.publish()
        .topicName(topic)
        .qos(qos)
        .messageId(qos == MqttQoS.AT_MOST_ONCE ? 0 : 7)
        .payload(Unpooled.wrappedBuffer(new byte[] {1}))
        .build();
  }

  @Test
  void deniedQos1PublishOnMqtt5GetsPubAckNotAuthorizedAndAnEvent() {
    EmbeddedChannel channel = connected(MqttVersion.MQTT_5);
    channel.writeInbound(publish("forbidden/t", MqttQoS.AT_LEAST_ONCE));
    MqttMessage ack = channel.readOutbound();
    assertThat(ack.fixedHeader().messageType()).isEqualTo(MqttMessageType.PUBACK);
    assertThat(((MqttPubReplyMessageVariableHeader) ack.variableHeader()).reasonCode())
        .isEqualTo((byte) 0x87);
    assertThat(channel.isOpen()).isTrue();
    assertThat(broker.events("mqtt.publish"))
        .singleElement()
        .satisfies(e -> assertThat(e.reason()).isEqualTo("test: forbidden prefix"));
  }

  @Test
  void deniedPublishOnMqtt311ClosesTheConnectionWithAuthError() {
    EmbeddedChannel channel = connected(MqttVersion.MQTT_3_1_1);
    channel.writeInbound(publish("forbidden/t", MqttQoS.AT_MOST_ONCE));
    assertThat(channel.isOpen()).isFalse();
    assertThat(broker.events("mqtt.disconnect"))
        .singleElement()
        .satisfies(e -> assertThat(e.reason()).isEqualTo("AUTH_ERROR"));
  }

  @Test
  void qos2PublishOnMqtt5IsAnsweredWithDisconnectQosNotSupported() {
    EmbeddedChannel channel = connected(MqttVersion.MQTT_5);
    channel.writeInbound(publish("a/b", MqttQoS.EXACTLY_ONCE));
    MqttMessage disconnect = channel.readOutbound();
    assertThat(disconnect.fixedHeader().messageType()).isEqualTo(MqttMessageType.DISCONNECT);
    assertThat(
            ((MqttReasonCodeAndPropertiesVariableHeader) disconnect.variableHeader()).reasonCode())
        .isEqualTo((byte) 0x9B);
    assertThat(channel.isOpen()).isFalse();
  }

  @Test
  void allowedQos1PublishIsAcknowledged() {
    EmbeddedChannel channel = connected(MqttVersion.MQTT_5);
    channel.writeInbound(publish("a/b", MqttQoS.AT_LEAST_ONCE));
    MqttMessage ack = channel.readOutbound();
    assertThat(((MqttPubReplyMessageVariableHeader) ack.variableHeader()).reasonCode()).isZero();
  }
}
