package io.mamori.bench.micro;

import io.mamori.hub.config.BrokerLimits;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The broker's MQTT codec as its pipeline configures it (Netty's {@link MqttDecoder} with the hub's
 * packet size limit, {@link MqttEncoder}): a 256-byte QoS 1 PUBLISH decoded from bytes and encoded
 * to bytes. Runs in an {@link EmbeddedChannel}, so a little pipeline overhead is included.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class MqttCodecBenchmark {
  static final String TOPIC = "devices/sensor-0042/telemetry";

  EmbeddedChannel decoder;
  EmbeddedChannel encoder;
  ByteBuf encodedPublish;
  byte[] payload;

  @Setup
  public void setUp() {
    decoder =
        new EmbeddedChannel(new MqttDecoder(BrokerLimits.defaults().maxPacketSizeBytes(), 65535));
    encoder = new EmbeddedChannel(MqttEncoder.INSTANCE);
    payload = new byte[256];
    encoder.writeOutbound(publish());
    encodedPublish = Unpooled.unreleasableBuffer(encoder.<ByteBuf>readOutbound());
  }

  MqttPublishMessage publish() {
    return MqttMessageBuilders.publish()
        .topicName(TOPIC)
        .qos(MqttQoS.AT_LEAST_ONCE)
        .messageId(42)
        .payload(Unpooled.wrappedBuffer(payload))
        .build();
  }

  @Benchmark
  public MqttPublishMessage decodePublish() {
    decoder.writeInbound(encodedPublish.duplicate());
    MqttPublishMessage message = decoder.readInbound();
    message.release();
    return message;
  }

  @Benchmark
  public int encodePublish() {
    encoder.writeOutbound(publish());
    ByteBuf bytes = encoder.readOutbound();
    int size = bytes.readableBytes();
    bytes.release();
    return size;
  }

  @TearDown
  public void tearDown() {
    decoder.finishAndReleaseAll();
    encoder.finishAndReleaseAll();
  }
}
