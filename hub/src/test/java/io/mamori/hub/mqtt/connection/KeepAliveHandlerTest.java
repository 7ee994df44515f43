package io.mamori.hub.mqtt.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mamori.hub.mqtt.AuthenticationResult;
import io.mamori.hub.mqtt.PrefixAuthorization;
import io.mamori.hub.mqtt.TestLimits;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class KeepAliveHandlerTest {
  @Test
  void silentConnectionIsClosedWithKeepAliveTimeout() {
    // A 1 s keep-alive floor so that the test waits 1.5 s instead of 45 s.
    var limits = TestLimits.withMinKeepAlive(1);
    var broker =
        new EmbeddedBroker(
            request ->
                CompletableFuture.completedFuture(
                    new AuthenticationResult.Accepted(new PrefixAuthorization("cert-1"))),
            limits);
    EmbeddedChannel channel = broker.channel();
    channel.writeInbound(EmbeddedBroker.connect(MqttVersion.MQTT_3_1_1, "quiet", 1));
    channel.runPendingTasks();
    assertThat(channel.isOpen()).isTrue();

    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> {
              channel.runScheduledPendingTasks();
              return !channel.isOpen();
            });
    assertThat(broker.events("mqtt.disconnect"))
        .singleElement()
        .satisfies(e -> assertThat(e.reason()).isEqualTo("MQTT_KEEP_ALIVE_TIMEOUT"));
  }
}
