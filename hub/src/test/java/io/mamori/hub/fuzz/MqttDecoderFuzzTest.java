package io.mamori.hub.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.mamori.hub.config.BrokerLimits;
import io.mamori.hub.mqtt.connection.ConnectParameters;
import io.mamori.hub.mqtt.connection.DecodeFailureHandler;
import io.mamori.hub.mqtt.routing.Topics;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttUnsubscribeMessage;
import io.netty.util.ReferenceCountUtil;

/**
 * The bytes a device sends after TLS, through the same decoder the broker configures (maximum
 * packet size from {@link BrokerLimits}) and the hub's own checks of decoded packets. Contract: the
 * decoder never throws out of the pipeline (a bad packet becomes a failed decoder result that
 * {@link DecodeFailureHandler} turns into a closed connection) and the hub's checks answer every
 * decoded packet with parameters or a refusal, never an exception.
 */
class MqttDecoderFuzzTest {
  private static final BrokerLimits LIMITS = BrokerLimits.defaults();

  @FuzzTest(maxDuration = "5m")
  void decodeAndCheck(byte[] input) {
    EmbeddedChannel channel =
        new EmbeddedChannel(
            new MqttDecoder(LIMITS.maxPacketSizeBytes(), 65535), new DecodeFailureHandler());
    // Feed in two chunks, as TCP may split a packet anywhere.
    int split = input.length / 2;
    channel.writeInbound(Unpooled.wrappedBuffer(input, 0, split));
    if (channel.isOpen()) {
      channel.writeInbound(Unpooled.wrappedBuffer(input, split, input.length - split));
    }
    for (Object msg = channel.readInbound(); msg != null; msg = channel.readInbound()) {
      try {
        check((MqttMessage) msg);
      } finally {
        ReferenceCountUtil.release(msg);
      }
    }
    channel.finishAndReleaseAll();
  }

  private static void check(MqttMessage message) {
    // Failed results never get past DecodeFailureHandler.
    assertThat(message.decoderResult().isSuccess()).isTrue();
    if (message instanceof MqttConnectMessage connect) {
      assertThat(ConnectParameters.parse(connect, LIMITS)).isNotNull();
    } else if (message instanceof MqttPublishMessage publish) {
      Topics.invalidTopicName(publish.variableHeader().topicName(), LIMITS.maxTopicLengthBytes());
    } else if (message instanceof MqttSubscribeMessage subscribe) {
      subscribe
          .payload()
          .topicSubscriptions()
          .forEach(s -> Topics.invalidTopicFilter(s.topicFilter(), LIMITS.maxTopicLengthBytes()));
    } else if (message instanceof MqttUnsubscribeMessage unsubscribe) {
      unsubscribe
          .payload()
          .topics()
          .forEach(t -> Topics.invalidTopicFilter(t, LIMITS.maxTopicLengthBytes()));
    }
  }
}
