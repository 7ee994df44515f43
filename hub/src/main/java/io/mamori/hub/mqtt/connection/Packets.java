package io.mamori.hub.mqtt.connection;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageIdAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPubAckMessage;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttSubAckPayload;
import io.netty.handler.codec.mqtt.MqttUnsubAckMessage;
import io.netty.handler.codec.mqtt.MqttUnsubAckPayload;
import java.util.List;

/** Builders for the packets the broker sends, so handlers read as protocol steps. */
final class Packets {
  static final int MQTT_5 = 5;
  static final int MQTT_3_1_1 = 4;

  private Packets() {}

  static MqttConnAckMessage connAck(
      MqttConnectReturnCode code, boolean sessionPresent, MqttProperties properties) {
    return MqttMessageBuilders.connAck()
        .returnCode(code)
        .sessionPresent(sessionPresent)
        .properties(properties)
        .build();
  }

  static MqttMessage disconnect(byte reasonCode) {
    return new MqttMessage(
        new MqttFixedHeader(MqttMessageType.DISCONNECT, false, MqttQoS.AT_MOST_ONCE, false, 0),
        new MqttReasonCodeAndPropertiesVariableHeader(reasonCode, MqttProperties.NO_PROPERTIES));
  }

  static MqttPubAckMessage pubAck(int packetId, byte reasonCode) {
    return new MqttPubAckMessage(
        new MqttFixedHeader(MqttMessageType.PUBACK, false, MqttQoS.AT_MOST_ONCE, false, 0),
        new MqttPubReplyMessageVariableHeader(packetId, reasonCode, MqttProperties.NO_PROPERTIES));
  }

  static MqttSubAckMessage subAck(int packetId, List<Integer> codes) {
    return new MqttSubAckMessage(
        new MqttFixedHeader(MqttMessageType.SUBACK, false, MqttQoS.AT_MOST_ONCE, false, 0),
        new MqttMessageIdAndPropertiesVariableHeader(packetId, MqttProperties.NO_PROPERTIES),
        new MqttSubAckPayload(codes));
  }

  static MqttUnsubAckMessage unsubAck(int packetId, List<Short> codes) {
    return new MqttUnsubAckMessage(
        new MqttFixedHeader(MqttMessageType.UNSUBACK, false, MqttQoS.AT_MOST_ONCE, false, 0),
        new MqttMessageIdAndPropertiesVariableHeader(packetId, MqttProperties.NO_PROPERTIES),
        new MqttUnsubAckPayload(codes));
  }

  static MqttMessage pingResp() {
    return new MqttMessage(
        new MqttFixedHeader(MqttMessageType.PINGRESP, false, MqttQoS.AT_MOST_ONCE, false, 0));
  }

  static MqttPublishMessage publish(
      String topic, byte[] payload, int qos, int packetId, boolean retain, boolean dup) {
    return new MqttPublishMessage(
        new MqttFixedHeader(MqttMessageType.PUBLISH, dup, MqttQoS.valueOf(qos), retain, 0),
        new MqttPublishVariableHeader(topic, packetId, MqttProperties.NO_PROPERTIES),
        Unpooled.wrappedBuffer(payload));
  }
}
