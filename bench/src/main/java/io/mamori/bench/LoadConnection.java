package io.mamori.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPubAckMessage;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

/**
 * One MQTT 3.1.1 client connection of the load generator: CONNECT after the TLS handshake, QoS 1
 * publish with completion on PUBACK, subscribe, and a callback per delivered message (which is
 * acknowledged at once). All methods are called on, or hop to, the channel's event loop, so the
 * state needs no locks.
 */
final class LoadConnection extends SimpleChannelInboundHandler<MqttMessage> {
  /** Why a connect did not end in an accepted CONNACK. */
  static final class ConnectFailed extends RuntimeException {
    ConnectFailed(String message) {
      super(message, null, false, false);
    }
  }

  private final String clientId;
  private final int keepAliveSeconds;
  private final CompletableFuture<LoadConnection> connected = new CompletableFuture<>();
  private final CompletableFuture<Long> closedAtNanos = new CompletableFuture<>();
  private volatile BiConsumer<String, ByteBuf> onMessage = (topic, payload) -> {};
  private Channel channel;
  private int nextPacketId = 1;
  // Pending QoS 1 publishes and subscribes by packet id (1..65535).
  private final CompletableFuture<?>[] pending = new CompletableFuture<?>[65536];

  LoadConnection(String clientId, int keepAliveSeconds) {
    this.clientId = clientId;
    this.keepAliveSeconds = keepAliveSeconds;
  }

  /** Completes with this connection on an accepted CONNACK, exceptionally otherwise. */
  CompletableFuture<LoadConnection> connected() {
    return connected;
  }

  /** Completes with {@link System#nanoTime()} when the connection closes, for any reason. */
  CompletableFuture<Long> closed() {
    return closedAtNanos;
  }

  String clientId() {
    return clientId;
  }

  /** Sets the callback for deliveries; called on the event loop, payload released after it. */
  void onMessage(BiConsumer<String, ByteBuf> callback) {
    this.onMessage = callback;
  }

  CompletableFuture<Void> publishQos1(String topic, ByteBuf payload) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    channel
        .eventLoop()
        .execute(
            () -> {
              int id = allocate(done);
              if (id < 0) {
                payload.release();
                done.completeExceptionally(new IllegalStateException("too many in flight"));
                return;
              }
              MqttPublishMessage message =
                  MqttMessageBuilders.publish()
                      .topicName(topic)
                      .qos(MqttQoS.AT_LEAST_ONCE)
                      .messageId(id)
                      .payload(payload)
                      .build();
              channel.writeAndFlush(message);
            });
    return done;
  }

  /** Subscribes at QoS 1; completes when the SUBACK grants it, exceptionally when refused. */
  CompletableFuture<Void> subscribe(String filter) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    channel
        .eventLoop()
        .execute(
            () -> {
              int id = allocate(done);
              channel.writeAndFlush(
                  MqttMessageBuilders.subscribe()
                      .addSubscription(MqttQoS.AT_LEAST_ONCE, filter)
                      .messageId(id)
                      .build());
            });
    return done;
  }

  /** Sends DISCONNECT and closes. */
  void disconnect() {
    if (channel.isActive()) {
      channel
          .writeAndFlush(
              new MqttMessage(
                  new MqttFixedHeader(
                      MqttMessageType.DISCONNECT, false, MqttQoS.AT_MOST_ONCE, false, 0)))
          .addListener(f -> channel.close());
    }
  }

  void close() {
    channel.close();
  }

  private int allocate(CompletableFuture<?> future) {
    for (int tries = 0; tries < 65535; tries++) {
      int id = nextPacketId;
      nextPacketId = nextPacketId == 65535 ? 1 : nextPacketId + 1;
      if (pending[id] == null) {
        pending[id] = future;
        return id;
      }
    }
    return -1;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    channel = ctx.channel();
    super.channelActive(ctx);
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    channel = ctx.channel();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
    if (event instanceof SslHandshakeCompletionEvent handshake) {
      if (handshake.isSuccess()) {
        ctx.writeAndFlush(
            MqttMessageBuilders.connect()
                .clientId(clientId)
                .protocolVersion(MqttVersion.MQTT_3_1_1)
                .cleanSession(true)
                .keepAlive(keepAliveSeconds)
                .build());
      } else {
        connected.completeExceptionally(
            new ConnectFailed("TLS handshake failed: " + handshake.cause()));
        ctx.close();
      }
    }
    super.userEventTriggered(ctx, event);
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, MqttMessage message) {
    switch (message.fixedHeader().messageType()) {
      case CONNACK -> {
        MqttConnectReturnCode code =
            ((MqttConnAckMessage) message).variableHeader().connectReturnCode();
        if (code == MqttConnectReturnCode.CONNECTION_ACCEPTED) {
          connected.complete(this);
        } else {
          connected.completeExceptionally(new ConnectFailed("CONNACK " + code));
          ctx.close();
        }
      }
      case PUBLISH -> {
        MqttPublishMessage publish = (MqttPublishMessage) message;
        if (publish.fixedHeader().qosLevel() == MqttQoS.AT_LEAST_ONCE) {
          ctx.write(
              new MqttPubAckMessage(
                  new MqttFixedHeader(
                      MqttMessageType.PUBACK, false, MqttQoS.AT_MOST_ONCE, false, 2),
                  MqttMessageIdVariableHeader.from(publish.variableHeader().packetId())));
        }
        onMessage.accept(publish.variableHeader().topicName(), publish.payload());
      }
      case PUBACK -> complete(((MqttPubAckMessage) message).variableHeader().messageId(), true);
      case SUBACK -> {
        MqttSubAckMessage ack = (MqttSubAckMessage) message;
        boolean granted = ack.payload().grantedQoSLevels().stream().allMatch(q -> q >= 0 && q <= 2);
        complete(ack.variableHeader().messageId(), granted);
      }
      default -> {}
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    ctx.flush();
  }

  private void complete(int packetId, boolean ok) {
    CompletableFuture<?> future = pending[packetId];
    pending[packetId] = null;
    if (future != null) {
      if (ok) {
        future.complete(null);
      } else {
        future.completeExceptionally(new IllegalStateException("refused by the broker"));
      }
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    long now = System.nanoTime();
    closedAtNanos.complete(now);
    connected.completeExceptionally(new ConnectFailed("connection closed before CONNACK"));
    for (int i = 0; i < pending.length; i++) {
      if (pending[i] != null) {
        pending[i].completeExceptionally(new IllegalStateException("connection closed"));
        pending[i] = null;
      }
    }
    super.channelInactive(ctx);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    connected.completeExceptionally(new ConnectFailed(cause.toString()));
    ctx.close();
  }

  static ByteBuf timestamped(int size) {
    ByteBuf payload = Unpooled.buffer(size, size);
    payload.writeLong(System.nanoTime());
    payload.writeZero(size - Long.BYTES);
    return payload;
  }
}
