package io.mamori.hub.mqtt.connection;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;

/**
 * Closes a connection silent for 1.5 times its keep-alive (MQTT 3.1.1 §3.1.2.10, AWS §7.2: {@code
 * MQTT_KEEP_ALIVE_TIMEOUT}).
 */
public final class KeepAliveHandler extends IdleStateHandler {
  public KeepAliveHandler(int keepAliveSeconds) {
    super(keepAliveSeconds * 1500L, 0, 0, TimeUnit.MILLISECONDS);
  }

  @Override
  protected void channelIdle(ChannelHandlerContext ctx, IdleStateEvent evt) {
    MqttConnection.of(ctx.channel())
        .ifPresentOrElse(
            c -> c.disconnect(DisconnectReason.MQTT_KEEP_ALIVE_TIMEOUT, (byte) 0x8D), ctx::close);
  }
}
