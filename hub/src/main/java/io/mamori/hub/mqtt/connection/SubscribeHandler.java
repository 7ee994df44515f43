package io.mamori.hub.mqtt.connection;

import io.mamori.hub.mqtt.AccessDecision;
import io.mamori.hub.mqtt.routing.Topics;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttSubscriptionOption.RetainedHandlingPolicy;
import io.netty.handler.codec.mqtt.MqttTopicSubscription;
import io.netty.handler.codec.mqtt.MqttUnsubscribeMessage;
import java.util.ArrayList;
import java.util.List;

/**
 * SUBSCRIBE (validate, authorize {@code iot:Subscribe} per filter, SUBACK, retained messages) and
 * UNSUBSCRIBE.
 */
public final class SubscribeHandler extends ChannelInboundHandlerAdapter {
  // MQTT 3.1.1 §3.9.3 failure code; MQTT 5 §3.9.3 reason codes.
  private static final int FAILURE_3 = 0x80;
  private static final int NOT_AUTHORIZED_5 = 0x87;
  private static final int FILTER_INVALID_5 = 0x8F;
  private static final int QUOTA_EXCEEDED_5 = 0x97;
  private static final int SHARED_NOT_SUPPORTED_5 = 0x9E;
  private final BrokerContext broker;

  public SubscribeHandler(BrokerContext broker) {
    this.broker = broker;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
    var connection = MqttConnection.of(ctx.channel());
    if (connection.isPresent() && msg instanceof MqttSubscribeMessage subscribe) {
      onSubscribe(connection.get(), subscribe);
    } else if (connection.isPresent() && msg instanceof MqttUnsubscribeMessage unsubscribe) {
      onUnsubscribe(connection.get(), unsubscribe);
    } else {
      super.channelRead(ctx, msg);
    }
  }

  private void onSubscribe(MqttConnection connection, MqttSubscribeMessage subscribe) {
    List<Integer> codes = new ArrayList<>();
    List<String> retainedFor = new ArrayList<>();
    boolean changed = false;
    int maxFilters = broker.limits().maxFiltersPerSubscribe();
    for (MqttTopicSubscription sub : subscribe.payload().topicSubscriptions()) {
      String filter = sub.topicFilter();
      if (codes.size() >= maxFilters) {
        // Filters beyond maxFiltersPerSubscribe are refused one by one in the SUBACK (MQTT 5
        // §3.9.3 0x97 Quota exceeded, MQTT 3.1.1 0x80), unchecked, so a storm costs no policy work.
        codes.add(connection.isMqtt5() ? QUOTA_EXCEEDED_5 : FAILURE_3);
        continue;
      }
      int code = check(connection, filter);
      if (code == 0) {
        // AWS §7.1: QoS 2 is not supported; a QoS 2 request is granted QoS 1 (MQTT §3.9.3).
        int granted = Math.min(sub.option().qos().value(), 1);
        boolean isNew = !connection.session().subscriptions().containsKey(filter);
        if (broker.sessions().subscribe(connection.session(), filter, granted)) {
          code = granted;
          changed = true;
          broker.events().subscribed(connection, filter);
          if (wantsRetained(sub, isNew)) {
            retainedFor.add(filter);
          }
        } else {
          code = connection.isMqtt5() ? QUOTA_EXCEEDED_5 : FAILURE_3;
        }
      }
      codes.add(code);
    }
    connection
        .channel()
        .writeAndFlush(
            Packets.subAck(subscribe.idAndPropertiesVariableHeader().messageId(), codes));
    if (changed) {
      broker.sessions().changed(connection.session());
    }
    // AWS §7.1: stored retained messages go only to a filter equal to the topic, never to
    // wildcard filters; they are sent after the SUBACK (MQTT 3.1.1 §3.3.1.3) with RETAIN set.
    for (String filter : retainedFor) {
      broker
          .dispatcher()
          .retained(filter)
          .ifPresent(
              r ->
                  connection
                      .session()
                      .offer(
                          r.topic(),
                          r.payload(),
                          Math.min(
                              r.qos(),
                              connection.session().subscriptions().getOrDefault(filter, 0)),
                          true,
                          broker.clock().instant()));
    }
  }

  /** 0 when the filter may be subscribed, else the failure code to put in SUBACK. */
  private int check(MqttConnection connection, String filter) {
    boolean v5 = connection.isMqtt5();
    if (Topics.invalidTopicFilter(filter, broker.limits().maxTopicLengthBytes()).isPresent()) {
      return v5 ? FILTER_INVALID_5 : FAILURE_3;
    }
    if (filter.startsWith("$share/")) {
      // Shared subscriptions are not offered (CONNACK says so); MQTT 5 §3.9.3 code 0x9E.
      return v5 ? SHARED_NOT_SUPPORTED_5 : FAILURE_3;
    }
    AccessDecision decision = connection.authorization().maySubscribe(filter);
    if (!decision.allowed()) {
      broker
          .events()
          .subscribeDenied(
              connection.principalId(), connection.clientId(), filter, decision.reason());
      return v5 ? NOT_AUTHORIZED_5 : FAILURE_3;
    }
    return 0;
  }

  private static boolean wantsRetained(MqttTopicSubscription sub, boolean isNew) {
    if (!Topics.isExact(sub.topicFilter())) {
      return false;
    }
    // MQTT 5 §3.8.3.1 Retain Handling: 0 always, 1 only for a new subscription, 2 never.
    RetainedHandlingPolicy policy = sub.option().retainHandling();
    return policy == RetainedHandlingPolicy.SEND_AT_SUBSCRIBE
        || (policy == RetainedHandlingPolicy.SEND_AT_SUBSCRIBE_IF_NOT_YET_EXISTS && isNew);
  }

  private void onUnsubscribe(MqttConnection connection, MqttUnsubscribeMessage unsubscribe) {
    List<Short> codes = new ArrayList<>();
    for (String filter : unsubscribe.payload().topics()) {
      boolean had = broker.sessions().unsubscribe(connection.session(), filter);
      // MQTT 5 §3.11.3: 0x11 No subscription existed.
      codes.add((short) (had ? 0x00 : 0x11));
      if (had) {
        broker.events().unsubscribed(connection, filter);
      }
    }
    broker.sessions().changed(connection.session());
    connection
        .channel()
        .writeAndFlush(
            Packets.unsubAck(unsubscribe.idAndPropertiesVariableHeader().messageId(), codes));
  }
}
