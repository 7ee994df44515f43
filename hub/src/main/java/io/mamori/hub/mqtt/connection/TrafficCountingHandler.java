package io.mamori.hub.mqtt.connection;

import io.mamori.hub.mqtt.TrafficMeter;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.util.AttributeKey;

/**
 * Counts decoded PUBLISH packets in and PUBLISH packets out (before encoding); one per broker. Once
 * the connection is authenticated its client's meter is looked up once and kept on the channel, so
 * per-device counting costs an attribute read, not a map lookup, per message.
 */
@Sharable
final class TrafficCountingHandler extends ChannelDuplexHandler {
  private static final AttributeKey<TrafficMeter> CLIENT_METER =
      AttributeKey.valueOf("mamori.mqtt.trafficMeter");

  private final TrafficMeter meter;

  TrafficCountingHandler(TrafficMeter meter) {
    this.meter = meter;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
    if (msg instanceof MqttPublishMessage publish) {
      meterOf(ctx.channel()).received(publish.content().readableBytes());
    }
    super.channelRead(ctx, msg);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise)
      throws Exception {
    if (msg instanceof MqttPublishMessage publish) {
      meterOf(ctx.channel()).sent(publish.content().readableBytes());
    }
    super.write(ctx, msg, promise);
  }

  private TrafficMeter meterOf(Channel channel) {
    var attribute = channel.attr(CLIENT_METER);
    TrafficMeter known = attribute.get();
    if (known != null) {
      return known;
    }
    var connection = MqttConnection.of(channel);
    if (connection.isEmpty()) {
      // Before CONNECT is accepted nothing is published; count broker-wide only, just in case.
      return meter;
    }
    TrafficMeter client = meter.forClient(connection.get().clientId());
    attribute.set(client);
    return client;
  }
}
