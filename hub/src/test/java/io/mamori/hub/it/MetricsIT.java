package io.mamori.hub.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /metrics} scraped over HTTPS with the admin token, as Prometheus would. */
class MetricsIT {
  @TempDir Path dir;
  private HubFixture hub;

  @AfterEach
  void stop() {
    if (hub != null) {
      hub.close();
    }
  }

  private static long value(String scrape, String series) {
    var m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (-?\\d+)$").matcher(scrape);
    assertThat(m.find()).as(series + " in\n" + scrape).isTrue();
    return Long.parseLong(m.group(1));
  }

  @Test
  void countsChangeWithTrafficAndDenials() throws Exception {
    hub = new HubFixture(dir.resolve("data")).start();
    assertThat(hub.createPolicy("device-policy", Policies.DEVICE).exitCode()).isZero();
    hub.issueDevice("sensor-1", "device-policy", dir.resolve("certs"));
    var api = new AdminHttps(hub.dataDir(), hub.hub().apiUrl());

    var first = api.get("/metrics");
    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(first.headers().firstValue("Content-Type"))
        .hasValue("text/plain; version=0.0.4; charset=utf-8");
    String before = first.body();
    assertThat(before).contains("# TYPE mamori_mqtt_connections gauge");
    assertThat(value(before, "mamori_certificates_issued_total")).isEqualTo(1);
    long received = value(before, "mamori_mqtt_messages_received_total");

    var device =
        new DeviceClients(hub.mqttPort(), dir.resolve("certs")).mqtt5("sensor-1", "sensor-1");
    device.connect();
    for (int i = 0; i < 5; i++) {
      device
          .publishWith()
          .topic("devices/sensor-1/t")
          .payload(new byte[10])
          .qos(MqttQos.AT_LEAST_ONCE)
          .send();
    }
    assertThatThrownBy(
        () -> device.publishWith().topic("devices/other/t").qos(MqttQos.AT_LEAST_ONCE).send());

    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              String after = api.get("/metrics").body();
              assertThat(value(after, "mamori_mqtt_connections")).isEqualTo(1);
              assertThat(value(after, "mamori_mqtt_messages_received_total"))
                  .isEqualTo(received + 6);
              assertThat(value(after, "mamori_mqtt_received_payload_bytes_total"))
                  .isGreaterThanOrEqualTo(50);
              assertThat(value(after, "mamori_mqtt_connects_total{outcome=\"accepted\"}"))
                  .isEqualTo(1);
              assertThat(value(after, "mamori_authorization_denials_total{action=\"iot:Publish\"}"))
                  .isEqualTo(1);
              assertThat(value(after, "mamori_audit_records_written_total")).isPositive();
              assertThat(value(after, "mamori_audit_queue_depth")).isGreaterThanOrEqualTo(0);
            });
    device.disconnect();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> value(api.get("/metrics").body(), "mamori_mqtt_connections") == 0);

    assertThat(api.getWithoutToken("/metrics").statusCode()).isEqualTo(401);
  }
}
