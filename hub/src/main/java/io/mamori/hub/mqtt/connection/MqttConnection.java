package io.mamori.hub.mqtt.connection;

import io.mamori.hub.mqtt.ClientAuthorization;
import io.mamori.hub.mqtt.session.Session;
import io.mamori.hub.mqtt.session.SessionLink;
import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import java.util.Optional;
import java.util.UUID;

/**
 * One accepted MQTT connection: who it is, what it may do, its session and how it ends. Created on
 * the channel's event loop once CONNECT is authenticated; stored as a channel attribute.
 */
public final class MqttConnection implements SessionLink {
  static final AttributeKey<MqttConnection> KEY = AttributeKey.valueOf("mamori.mqtt.connection");

  private final Channel channel;
  private final String clientId;
  private final int protocolVersion;
  private final ClientAuthorization authorization;
  private final Session session;
  private final Optional<Will> will;
  private final int receiveMaximum;
  private final String sessionIdentifier = UUID.randomUUID().toString().replace("-", "");
  private final Outbound outbound;
  private volatile boolean revoked;
  private DisconnectReason closeReason = DisconnectReason.CONNECTION_LOST;
  private boolean willSuppressed;

  MqttConnection(
      Channel channel,
      String clientId,
      int protocolVersion,
      ClientAuthorization authorization,
      Session session,
      Optional<Will> will,
      int receiveMaximum) {
    this.channel = channel;
    this.clientId = clientId;
    this.protocolVersion = protocolVersion;
    this.authorization = authorization;
    this.session = session;
    this.will = will;
    this.receiveMaximum = receiveMaximum;
    this.outbound = new Outbound(channel);
  }

  static Optional<MqttConnection> of(Channel channel) {
    return Optional.ofNullable(channel.attr(KEY).get());
  }

  public Channel channel() {
    return channel;
  }

  public String clientId() {
    return clientId;
  }

  @Override
  public String principalId() {
    return authorization.principalId();
  }

  /** Random id of this connection, reported in its connect/disconnect events (AWS §7.6). */
  public String sessionIdentifier() {
    return sessionIdentifier;
  }

  public int protocolVersion() {
    return protocolVersion;
  }

  public boolean isMqtt5() {
    return protocolVersion == Packets.MQTT_5;
  }

  public ClientAuthorization authorization() {
    return authorization;
  }

  public Session session() {
    return session;
  }

  Optional<Will> will() {
    return willSuppressed ? Optional.empty() : will;
  }

  DisconnectReason closeReason() {
    return closeReason;
  }

  boolean revoked() {
    return revoked;
  }

  @Override
  public int receiveMaximum() {
    return receiveMaximum;
  }

  @Override
  public boolean mayReceive(String topic) {
    // A revoked connection receives nothing more from the moment of revocation, before its
    // socket is even closed.
    return !revoked && authorization.mayReceive(topic).allowed();
  }

  @Override
  public void send(
      String topic, byte[] payload, int qos, int packetId, boolean retain, boolean dup) {
    if (!channel.isActive()) {
      return;
    }
    // A slow consumer loses QoS 0 messages rather than growing the outbound buffer without bound;
    // QoS 1 is bounded by the in-flight window instead.
    if (qos == 0 && !channel.isWritable()) {
      return;
    }
    outbound.add(Packets.publish(topic, payload, qos, packetId, retain, dup));
  }

  /**
   * Queues a packet behind the deliveries already handed over, flushed with them once per
   * event-loop turn (any thread).
   */
  void queue(Object packet) {
    outbound.add(packet);
  }

  /** Marks the connection revoked (any thread): no more deliveries, no will, then close. */
  void revoke() {
    revoked = true;
    channel.config().setAutoRead(false);
    channel
        .eventLoop()
        .execute(
            () -> {
              willSuppressed = true;
              // MQTT 5 §3.14.2.1: 0x87 Not authorized.
              disconnect(DisconnectReason.AUTH_ERROR, (byte) 0x87);
            });
  }

  /** The hub stops: MQTT 5 §3.14.2.1 0x8B Server shutting down. Event loop only. */
  public void serverShutdown() {
    disconnect(DisconnectReason.SERVER_INITIATED_DISCONNECT, (byte) 0x8B);
  }

  /** The client said DISCONNECT: MQTT 3.1.1 §3.14.4 the will is discarded (MQTT 5: unless 0x04). */
  void clientDisconnected(boolean keepWill) {
    closeReason = DisconnectReason.CLIENT_INITIATED_DISCONNECT;
    willSuppressed = !keepWill;
    channel.close();
  }

  /**
   * Closes the connection for a server-side reason, telling MQTT 5 clients why with a DISCONNECT
   * reason code first (MQTT 5 §3.14.2.1). Must run on the channel's event loop.
   */
  void disconnect(DisconnectReason reason, byte mqtt5ReasonCode) {
    if (!channel.isActive()) {
      return;
    }
    closeReason = reason;
    if (isMqtt5()) {
      channel.writeAndFlush(Packets.disconnect(mqtt5ReasonCode));
    }
    channel.close();
  }
}
