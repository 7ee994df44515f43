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
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Inbound PUBLISH (validate, authorize {@code iot:Publish}, dispatch, PUBACK) and the client's
 * PUBACKs for messages the broker sent.
 */
public final class PublishHandler extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(PublishHandler.class);
  private final BrokerContext broker;
  // One handler per connection (PipelineInitializer), so the bucket is this connection's.
  private final RateBucket rate;
  private boolean throttleLogged;
  // PUBACKs not sent yet (store commit, publisher back-pressure), in PUBLISH order; made with the
  // connection (first PUBLISH), event loop only.
  private PubAcks acks;

  public PublishHandler(BrokerContext broker) {
    this.broker = broker;
    this.rate = new RateBucket(broker.limits().maxPublishesPerSecond(), System.nanoTime());
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

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    if (acks != null) {
      acks.close();
    }
    super.channelInactive(ctx);
  }

  private PubAcks acks(MqttConnection connection) {
    if (acks == null) {
      var loop = connection.channel().eventLoop();
      acks =
          new PubAcks(
              loop,
              (task, delayNanos) -> loop.schedule(task, delayNanos, TimeUnit.NANOSECONDS),
              System::nanoTime,
              broker.limits().publishBackPressure().maxAckDelay(),
              (packetId, code) -> connection.queue(Packets.pubAck(packetId, code)));
    }
    return acks;
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
    if (!rate.tryAcquire(System.nanoTime())) {
      refuseOverRate(connection, qos, packetId);
      return;
    }
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
          acknowledge(connection, packetId, (byte) 0x87);
        }
      } else {
        // AWS behaviour for MQTT 3.1.1, which has no negative PUBACK: disconnect (AUTH_ERROR).
        connection.disconnect(DisconnectReason.AUTH_ERROR, (byte) 0x87);
      }
      return;
    }
    byte[] payload = ByteBufUtil.getBytes(publish.content());
    // QoS 0 has no PUBACK to hold back: it is never slowed (nor reported congested).
    var outcome =
        broker
            .dispatcher()
            .fromClient(
                connection.clientId(),
                connection.authorization(),
                topic,
                payload,
                qos,
                retain,
                qos == 1 && backPressure() ? acks(connection) : null);
    if (qos == 1) {
      acknowledge(connection, packetId, pubAckCode(connection, outcome));
    }
  }

  private boolean backPressure() {
    return broker.limits().publishBackPressure().enabled();
  }

  /**
   * Sends the PUBACK once the message is durable: a message queued for a persistent session (or
   * retained) is committed to the store first, so an acknowledged message survives a crash (kill
   * -9) of the hub; and, with publisher back-pressure, once the subscriber sessions it was queued
   * for are no longer congested (at most {@code maxAckDelay}). Otherwise, and with no earlier
   * PUBACK waiting, it goes out at once, flushed with the rest of this read's packets.
   */
  private void acknowledge(MqttConnection connection, int packetId, byte code) {
    // Checked after the dispatch: nothing pending means its writes (if any) have committed.
    boolean storePending = broker.dispatcher().storePending();
    PubAcks.Pending pending = acks(connection).add(packetId, code, storePending);
    if (pending != null && storePending) {
      var loop = connection.channel().eventLoop();
      broker.dispatcher().whenStored(() -> loop.execute(() -> acks.stored(pending)));
    }
  }

  /**
   * A publish above {@code maxPublishesPerSecond} is dropped. MQTT 5 §3.4.2.1: a QoS 1 one is
   * answered PUBACK 0x97 Quota exceeded, so the client knows and may retry later. MQTT 3.1.1 has no
   * negative PUBACK and acknowledging would claim delivery, so a QoS 1 flood ends the connection
   * (as AWS does for other 3.1.1 refusals); QoS 0 over the rate is dropped silently on both.
   */
  private void refuseOverRate(MqttConnection connection, int qos, int packetId) {
    if (!throttleLogged) {
      throttleLogged = true;
      log.info(
          "publish rate above {}/s client={} remote={}: dropping/refusing the excess",
          broker.limits().maxPublishesPerSecond(),
          connection.clientId(),
          connection.channel().remoteAddress());
    }
    if (qos == 0) {
      return;
    }
    if (connection.isMqtt5()) {
      // In order behind any PUBACK still held back (MQTT 5 §4.6).
      acknowledge(connection, packetId, (byte) 0x97);
    } else {
      connection.disconnect(DisconnectReason.CLIENT_ERROR, (byte) 0x97);
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
