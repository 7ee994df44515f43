package io.mamori.hub.mqtt.connection;

import io.mamori.hub.mqtt.AccessDecision;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Last handler: when a connection ends it publishes the last will (if its reason calls for one and
 * {@code iot:Publish} still allows it), hands the session back, and reports the disconnect.
 */
public final class ConnectionCloseHandler extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(ConnectionCloseHandler.class);
  private final BrokerContext broker;

  public ConnectionCloseHandler(BrokerContext broker) {
    this.broker = broker;
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    MqttConnection.of(ctx.channel()).ifPresent(this::ended);
    super.channelInactive(ctx);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof IOException) {
      log.debug(
          "connection error remote={} reason={}", ctx.channel().remoteAddress(), cause.toString());
    } else {
      log.info(
          "connection failed remote={} reason={}", ctx.channel().remoteAddress(), cause.toString());
    }
    ctx.close();
  }

  private void ended(MqttConnection connection) {
    broker.connections().unregister(connection);
    DisconnectReason reason = connection.closeReason();
    if (reason.publishesWill() && !connection.revoked()) {
      connection.will().ifPresent(will -> publishWill(connection, will));
    }
    broker.sessions().disconnected(connection.session(), connection);
    broker.events().disconnected(connection, reason);
    connection.authorization().connectionClosed();
  }

  private void publishWill(MqttConnection connection, Will will) {
    AccessDecision decision = connection.authorization().mayPublish(will.topic(), will.retain());
    if (!decision.allowed()) {
      broker
          .events()
          .publishDenied(
              connection.principalId(), connection.clientId(), will.topic(), decision.reason());
      return;
    }
    broker
        .dispatcher()
        .fromClient(
            connection.clientId(),
            connection.authorization(),
            will.topic(),
            will.payload(),
            will.qos(),
            will.retain());
  }
}
