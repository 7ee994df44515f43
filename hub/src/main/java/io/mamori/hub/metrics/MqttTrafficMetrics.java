package io.mamori.hub.metrics;

import io.mamori.hub.mqtt.TrafficMeter;
import java.util.concurrent.atomic.LongAdder;

/** PUBLISH packets and payload bytes through the broker, both ways. */
public final class MqttTrafficMetrics implements TrafficMeter {
  private final LongAdder messagesIn;
  private final LongAdder messagesOut;
  private final LongAdder bytesIn;
  private final LongAdder bytesOut;

  public MqttTrafficMetrics(MetricRegistry registry) {
    messagesIn =
        registry.counter(
            "mamori_mqtt_messages_received_total", "PUBLISH packets received from clients.");
    messagesOut =
        registry.counter("mamori_mqtt_messages_sent_total", "PUBLISH packets sent to clients.");
    bytesIn =
        registry.counter(
            "mamori_mqtt_received_payload_bytes_total", "Payload bytes of PUBLISHes received.");
    bytesOut =
        registry.counter(
            "mamori_mqtt_sent_payload_bytes_total", "Payload bytes of PUBLISHes sent.");
  }

  @Override
  public void received(int payloadBytes) {
    messagesIn.increment();
    bytesIn.add(payloadBytes);
  }

  @Override
  public void sent(int payloadBytes) {
    messagesOut.increment();
    bytesOut.add(payloadBytes);
  }
}
