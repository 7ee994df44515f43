package io.mamori.hub.mqtt.connection;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttIdentifierRejectedException;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttUnacceptableProtocolVersionException;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns packets the decoder could not parse into the protocol-correct end of that one connection
 * (MQTT 3.1.1 §4.8: malformed → close; MQTT 5 §4.13: DISCONNECT 0x81, or 0x95 when too large).
 */
public final class DecodeFailureHandler extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(DecodeFailureHandler.class);

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
    if (!(msg instanceof MqttMessage m) || m.decoderResult().isSuccess()) {
      super.channelRead(ctx, msg);
      return;
    }
    ReferenceCountUtil.release(msg);
    Throwable cause = m.decoderResult().cause();
    log.info(
        "malformed packet remote={} reason={}",
        ctx.channel().remoteAddress(),
        cause.getClass().getSimpleName());
    var connection = MqttConnection.of(ctx.channel());
    if (connection.isPresent()) {
      boolean tooLarge = cause instanceof TooLongFrameException;
      // MQTT 5 §3.14.2.1: 0x95 Packet too large, 0x81 Malformed packet.
      connection.get().disconnect(DisconnectReason.CLIENT_ERROR, (byte) (tooLarge ? 0x95 : 0x81));
      return;
    }
    if (cause instanceof MqttUnacceptableProtocolVersionException) {
      // MQTT 3.1.1 §3.1.2.2: answer CONNACK 0x01 to an unsupported protocol level, then close.
      refuse(ctx, MqttConnectReturnCode.CONNECTION_REFUSED_UNACCEPTABLE_PROTOCOL_VERSION);
    } else if (cause instanceof MqttIdentifierRejectedException) {
      refuse(ctx, MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED);
    } else {
      ctx.close();
    }
  }

  private static void refuse(ChannelHandlerContext ctx, MqttConnectReturnCode code) {
    ctx.writeAndFlush(Packets.connAck(code, false, MqttProperties.NO_PROPERTIES))
        .addListener(f -> ctx.close());
  }
}
