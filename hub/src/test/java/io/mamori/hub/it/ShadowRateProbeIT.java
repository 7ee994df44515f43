package io.mamori.hub.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Measures shadow updates per second from one device (QoS 0 requests, all accepted answers
 * awaited). A probe, not a timing assertion: it runs only when asked, e.g. {@code mvn -o -q -pl hub
 * test -Dtest=ShadowRateProbeIT -Dprobe=true}, and prints {@code SHADOW-PROBE ...}.
 */
@EnabledIfSystemProperty(named = "probe", matches = "true")
class ShadowRateProbeIT {
  @TempDir Path dir;

  @Test
  void everyUpdateOfABurstIsAcceptedAndTheRateIsPrinted() throws Exception {
    try (HubFixture hub =
        new HubFixture(dir.resolve("data"))
            // measures the shadow service, not the per-connection publish rate limit
            .withLimits(io.mamori.hub.config.BrokerLimits.defaults().withMaxPublishesPerSecond(0))
            .start()) {
      Path certs = dir.resolve("certs");
      assertThat(hub.createPolicy("device-policy", ShadowIT.DEVICE_POLICY).exitCode()).isZero();
      hub.issueDevice("lamp", "device-policy", certs);
      var lamp = new DeviceClients(hub.mqttPort(), certs).mqtt5("lamp", "lamp").toAsync();
      lamp.connect().get();
      int n = Integer.getInteger("n", 2000);
      CountDownLatch accepted = new CountDownLatch(n);
      lamp.publishes(MqttGlobalPublishFilter.ALL, p -> accepted.countDown());
      lamp.subscribeWith()
          .topicFilter("$aws/things/lamp/shadow/update/accepted")
          .qos(MqttQos.AT_MOST_ONCE)
          .send()
          .get();
      long start = System.nanoTime();
      for (int i = 0; i < n; i++) {
        lamp.publishWith()
            .topic("$aws/things/lamp/shadow/update")
            .qos(MqttQos.AT_MOST_ONCE)
            .payload(
                ("{\"state\":{\"reported\":{\"counter\":" + i + ",\"temp\":21.5}}}")
                    .getBytes(StandardCharsets.UTF_8))
            .send();
      }
      assertThat(accepted.await(120, TimeUnit.SECONDS)).isTrue();
      long ms = (System.nanoTime() - start) / 1_000_000;
      System.out.println(
          "SHADOW-PROBE updates="
              + n
              + " ms="
              + ms
              + " perSecond="
              + (n * 1000L / Math.max(ms, 1)));
    }
  }
}
