package io.mamori.hub.mqtt.connection;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;

/**
 * Builds each connection's pipeline, one small step per handler: rate per source, limit, TLS, TLS
 * events, connect timeout, MQTT codec, decode failures, CONNECT, PUBLISH, SUBSCRIBE, control
 * packets, close.
 */
public final class PipelineInitializer extends ChannelInitializer<SocketChannel> {
  private final BrokerContext broker;
  private final SslContext tls;
  private final ConnectionLimitHandler limit;
  private final SourceRateLimitHandler sourceRate;
  private final ChannelGroup channels;
  private final TrafficCountingHandler traffic;

  public PipelineInitializer(BrokerContext broker, SslContext tls, ChannelGroup channels) {
    this.broker = broker;
    this.tls = tls;
    this.channels = channels;
    this.limit = new ConnectionLimitHandler(broker.limits().maxConnections());
    this.sourceRate = new SourceRateLimitHandler(broker.limits().maxConnectsPerSecondPerSource());
    this.traffic = new TrafficCountingHandler(broker.traffic());
  }

  @Override
  protected void initChannel(SocketChannel ch) {
    channels.add(ch);
    var limits = broker.limits();
    // Delegated TLS tasks (certificate checks by the trust manager) run on the worker pool, not
    // on the event loop.
    SslHandler ssl = tls.newHandler(ch.alloc(), broker.worker());
    ssl.setHandshakeTimeoutMillis(limits.connectTimeout().toMillis());
    ChannelPipeline p = ch.pipeline();
    p.addLast("source-rate", sourceRate);
    p.addLast("limit", limit);
    p.addLast("tls", ssl);
    p.addLast("tls-events", new TlsEventHandler(broker.events()));
    p.addLast("connect-timeout", new ConnectTimeoutHandler(limits.connectTimeout()));
    p.addLast("decoder", new MqttDecoder(limits.maxPacketSizeBytes(), 65535));
    p.addLast("encoder", MqttEncoder.INSTANCE);
    p.addLast("traffic", traffic);
    p.addLast("decode-failure", new DecodeFailureHandler());
    p.addLast("connect", new ConnectHandler(broker));
    p.addLast("publish", new PublishHandler(broker));
    p.addLast("subscribe", new SubscribeHandler(broker));
    p.addLast("control", new ControlHandler(broker));
    p.addLast("close", new ConnectionCloseHandler(broker));
  }
}
