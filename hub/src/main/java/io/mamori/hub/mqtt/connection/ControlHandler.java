package io.mamori.hub.mqtt.connection;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PINGREQ, DISCONNECT, and every packet no earlier handler took (PUBREC, PUBREL, AUTH, server
 * packets): those are protocol violations here and close the connection.
 */
public final class ControlHandler extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(ControlHandler.class);
  // MQTT 5 §3.14.2.1: 0x04 Disconnect with Will Message.
  private static final byte DISCONNECT_WITH_WILL = 0x04;
  private final BrokerContext broker;

  public ControlHandler(BrokerContext broker) {
    this.broker = broker;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      var connection = MqttConnection.of(ctx.channel());
      if (connection.isEmpty() || !(msg instanceof MqttMessage m)) {
        ctx.close();
        return;
      }
      switch (m.fixedHeader().messageType()) {
        case PINGREQ -> ctx.writeAndFlush(Packets.pingResp());
        case DISCONNECT -> onDisconnect(connection.get(), m);
        default -> {
          log.info(
              "unexpected packet type={} clientId={}",
              m.fixedHeader().messageType(),
              connection.get().clientId());
          // MQTT 5 §3.14.2.1: 0x82 Protocol Error (QoS 2 flows are not offered at all).
          connection.get().disconnect(DisconnectReason.CLIENT_ERROR, (byte) 0x82);
        }
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  private void onDisconnect(MqttConnection connection, MqttMessage disconnect) {
    if (disconnect.variableHeader() instanceof MqttReasonCodeAndPropertiesVariableHeader h) {
      var expiry = h.properties().getProperty(MqttPropertyType.SESSION_EXPIRY_INTERVAL.value());
      if (expiry != null) {
        long seconds = Integer.toUnsignedLong((Integer) expiry.value());
        if (!connection.session().persistent() && seconds > 0) {
          // MQTT 5 §3.14.2.2.2: a session that began with expiry 0 cannot be made persistent here.
          connection.disconnect(DisconnectReason.CLIENT_ERROR, (byte) 0x82);
          return;
        }
        broker.sessions().updateExpiry(connection.session(), seconds);
      }
    }
    connection.clientDisconnected(keepsWill(disconnect));
  }

  private static boolean keepsWill(MqttMessage disconnect) {
    return disconnect.variableHeader() instanceof MqttReasonCodeAndPropertiesVariableHeader h
        && h.reasonCode() == DISCONNECT_WITH_WILL;
  }
}
