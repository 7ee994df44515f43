package io.mamori.hub.mqtt.connection;

import io.mamori.hub.mqtt.AccessDecision;
import io.mamori.hub.mqtt.routing.Topics;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.util.ReferenceCountUtil;
import java.util.Optional;

/**
 * Inbound PUBLISH (validate, authorize {@code iot:Publish}, dispatch, PUBACK) and the client's
 * PUBACKs for messages the broker sent.
 */
public final class PublishHandler extends ChannelInboundHandlerAdapter {
  private final BrokerContext broker;

  public PublishHandler(BrokerContext broker) {
    this.broker = broker;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
    Optional<MqttConnection> connection = MqttConnection.of(ctx.channel());
    if (connection.isEmpty() || !(msg instanceof MqttMessage m)) {
      super.channelRead(ctx, msg);
      return;
    }
    if (msg instanceof MqttPublishMessage publish) {
      try {
        onPublish(connection.get(), publish);
      } finally {
        ReferenceCountUtil.release(publish);
      }
    } else if (m.fixedHeader().messageType() == MqttMessageType.PUBACK) {
      int packetId = ((MqttMessageIdVariableHeader) m.variableHeader()).messageId();
      connection.get().session().acknowledge(packetId);
    } else {
      super.channelRead(ctx, msg);
    }
  }

  private void onPublish(MqttConnection connection, MqttPublishMessage publish) {
    if (connection.revoked()) {
      return;
    }
    int qos = publish.fixedHeader().qosLevel().value();
    if (qos > 1) {
      // AWS §7.1: QoS 2 is not supported (CONNACK advertised Maximum QoS 1). MQTT 5 §3.3.1.2:
      // a higher QoS than advertised is answered with DISCONNECT 0x9B QoS not supported.
      connection.disconnect(DisconnectReason.CLIENT_ERROR, (byte) 0x9B);
      return;
    }
    String topic = publish.variableHeader().topicName();
    int packetId = publish.variableHeader().packetId();
    boolean retain = publish.fixedHeader().isRetain();
    if (Topics.invalidTopicName(topic, broker.limits().maxTopicLengthBytes()).isPresent()) {
      // MQTT 3.1.1 §4.7.3 / MQTT 5 §4.13: a malformed topic name ends the connection (0x90).
      connection.disconnect(DisconnectReason.CLIENT_ERROR, (byte) 0x90);
      return;
    }
    AccessDecision decision = connection.authorization().mayPublish(topic, retain);
    if (!decision.allowed()) {
      broker
          .events()
          .publishDenied(connection.principalId(), connection.clientId(), topic, decision.reason());
      if (connection.isMqtt5()) {
        if (qos == 1) {
          // MQTT 5 §3.4.2.1: 0x87 Not authorized.
          connection.channel().writeAndFlush(Packets.pubAck(packetId, (byte) 0x87));
        }
      } else {
        // AWS behaviour for MQTT 3.1.1, which has no negative PUBACK: disconnect (AUTH_ERROR).
        connection.disconnect(DisconnectReason.AUTH_ERROR, (byte) 0x87);
      }
      return;
    }
    byte[] payload = ByteBufUtil.getBytes(publish.content());
    var outcome =
        broker
            .dispatcher()
            .fromClient(
                connection.clientId(), connection.authorization(), topic, payload, qos, retain);
    if (qos == 1) {
      connection.channel().writeAndFlush(Packets.pubAck(packetId, pubAckCode(connection, outcome)));
    }
  }

  private static byte pubAckCode(MqttConnection connection, Dispatcher.Outcome outcome) {
    if (!connection.isMqtt5()) {
      return 0;
    }
    return switch (outcome) {
      case ROUTED, HANDLED -> 0;
      // MQTT 5 §3.4.2.1: 0x90 Topic Name invalid: a '$' topic that nothing in the hub serves.
      case UNROUTABLE -> (byte) 0x90;
      // 0x97 Quota exceeded: the workers that serve reserved topics are saturated.
      case BUSY -> (byte) 0x97;
    };
  }
}
