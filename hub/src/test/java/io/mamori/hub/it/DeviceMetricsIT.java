package io.mamori.hub.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.mamori.hub.detect.DetectSettings;
import io.mamori.hub.events.HubEvent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Device-side metrics on {@code $aws/things/T/defender/metrics/json|cbor} (reference §8.4) from a
 * HiveMQ client, and the dormancy alarm for a device that stays silent.
 */
class DeviceMetricsIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final CBORMapper CBOR = new CBORMapper();

  // The long-name example of reference §8.4: three listening TCP ports.
  private static final String LONG_REPORT =
      """
      {"header": {"report_id": 1530304554, "version": "1.0"},
       "metrics": {"listening_tcp_ports": {"ports": [{"interface": "eth0", "port": 22},
                    {"interface": "eth0", "port": 80}, {"interface": "eth0", "port": 2323}], "total": 3},
                   "network_stats": {"bytes_in": 29358693495, "bytes_out": 26485035,
                                     "packets_in": 10013573555, "packets_out": 11382615},
                   "tcp_connections": {"established_connections": {"connections": [
                     {"local_interface": "eth0", "local_port": 80, "remote_addr": "192.168.0.1:8000"}],
                     "total": 1}}},
       "custom_metrics": {"MyMetricOfType_Number": [{"number": 1}]}}
      """;

  @TempDir Path dir;
  private HubFixture hub;
  private final List<HubEvent> alarms = new CopyOnWriteArrayList<>();

  @AfterEach
  void stop() {
    if (hub != null) {
      hub.close();
    }
  }

  @Test
  void reportsAreAcceptedInJsonAndCborAndAMalformedOneIsRejected() throws Exception {
    hub =
        new HubFixture(dir.resolve("data"))
            .withDetect(DetectSettings.defaults().withPeriod(Duration.ofMillis(300)))
            .start();
    hub.hub()
        .events()
        .subscribe(
            e -> {
              if (e.type().startsWith("defender.alarm.")) {
                alarms.add(e);
              }
            });
    assertThat(hub.createPolicy("device", DetectIT.POLICY).exitCode()).isZero();
    Path certs = dir.resolve("certs");
    hub.issueDevice("gateway", "device", certs);
    Path profile = Files.createTempFile(dir, "ports", ".json");
    Files.writeString(
        profile,
        """
        {"behaviors": [{"name": "few-open-ports", "metric": "aws:num-listening-tcp-ports",
          "criteria": {"comparisonOperator": "less-than-equals", "value": {"count": 2}}}]}
        """);
    assertThat(
            hub.cli("defender", "profile", "create", "ports", "--document", profile.toString())
                .exitCode())
        .isZero();
    assertThat(hub.cli("defender", "profile", "attach", "ports", "--all-things").exitCode())
        .isZero();

    Mqtt5BlockingClient device =
        new DeviceClients(hub.mqttPort(), certs).mqtt5("gateway", "gateway");
    device.connect();
    String base = "$aws/things/gateway/defender/metrics/";
    try (var replies = device.publishes(com.hivemq.client.mqtt.MqttGlobalPublishFilter.ALL)) {
      for (String format : List.of("json", "cbor")) {
        device.subscribeWith().topicFilter(base + format + "/+").qos(MqttQos.AT_LEAST_ONCE).send();
      }

      device
          .publishWith()
          .topic(base + "json")
          .qos(MqttQos.AT_LEAST_ONCE)
          .payload(LONG_REPORT.getBytes(StandardCharsets.UTF_8))
          .send();
      Mqtt5Publish accepted = replies.receive(10, TimeUnit.SECONDS).orElseThrow();
      assertThat(accepted.getTopic().toString()).isEqualTo(base + "json/accepted");
      JsonNode body = JSON.readTree(accepted.getPayloadAsBytes());
      assertThat(body.path("thingName").asText()).isEqualTo("gateway");
      assertThat(body.path("reportId").asLong()).isEqualTo(1530304554L);
      assertThat(body.path("status").asText()).isEqualTo("ACCEPTED");
      assertThat(body.path("timestamp").asLong()).isBetween(1_600_000_000L, 9_999_999_999L);

      // The same report with the short names of §8.4, CBOR-encoded.
      var shortReport = JSON.createObjectNode();
      shortReport.putObject("hed").put("rid", 1530304555L).put("v", "1.0");
      var met = shortReport.putObject("met");
      met.putObject("tp").put("t", 1).putArray("pts").addObject().put("if", "eth0").put("pt", 22);
      met.putObject("ns").put("bi", 10).put("bo", 20).put("pi", 1).put("po", 2);
      device
          .publishWith()
          .topic(base + "cbor")
          .qos(MqttQos.AT_LEAST_ONCE)
          .payload(CBOR.writeValueAsBytes(shortReport))
          .send();
      Mqtt5Publish cborAccepted = replies.receive(10, TimeUnit.SECONDS).orElseThrow();
      assertThat(cborAccepted.getTopic().toString()).isEqualTo(base + "cbor/accepted");
      JsonNode cborBody = CBOR.readTree(cborAccepted.getPayloadAsBytes());
      assertThat(cborBody.path("reportId").asLong()).isEqualTo(1530304555L);
      assertThat(cborBody.path("status").asText()).isEqualTo("ACCEPTED");

      // No version in the header: rejected, naming the field, with the report id echoed.
      device
          .publishWith()
          .topic(base + "json")
          .qos(MqttQos.AT_LEAST_ONCE)
          .payload(
              "{\"header\": {\"report_id\": 7}, \"metrics\": {}}".getBytes(StandardCharsets.UTF_8))
          .send();
      Mqtt5Publish rejected = replies.receive(10, TimeUnit.SECONDS).orElseThrow();
      assertThat(rejected.getTopic().toString()).isEqualTo(base + "json/rejected");
      JsonNode rejection = JSON.readTree(rejected.getPayloadAsBytes());
      assertThat(rejection.path("reportId").asLong()).isEqualTo(7);
      assertThat(rejection.path("status").asText()).isEqualTo("REJECTED");
      assertThat(rejection.path("statusDetails").path("ErrorCode").asText())
          .isEqualTo("InvalidPayload");
      assertThat(rejection.path("statusDetails").path("ErrorMessage").asText())
          .contains("header.version");

      // Not CBOR at all.
      device
          .publishWith()
          .topic(base + "cbor")
          .qos(MqttQos.AT_LEAST_ONCE)
          .payload(new byte[] {(byte) 0xff, 0x00, 0x13})
          .send();
      Mqtt5Publish garbage = replies.receive(10, TimeUnit.SECONDS).orElseThrow();
      assertThat(garbage.getTopic().toString()).isEqualTo(base + "cbor/rejected");
      assertThat(CBOR.readTree(garbage.getPayloadAsBytes()).has("reportId")).isFalse();
    }

    // Each accepted report is one datapoint: the JSON one (3 listening ports) violates the profile
    // even when the CBOR one (1 port) arrives in the same period.
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> alarms.stream().anyMatch(e -> e.type().equals("defender.alarm.active")));
    assertThat(alarms.get(0).subject()).isEqualTo("gateway");
    assertThat(alarms.get(0).details()).containsEntry("metric", "aws:num-listening-tcp-ports");
    String metrics = new AdminHttps(hub.dataDir(), hub.hub().apiUrl()).get("/metrics").body();
    assertThat(metrics)
        .contains("mamori_defender_device_reports_accepted_total 2")
        .contains("mamori_defender_device_reports_rejected_total 2");
    device.disconnect();
  }

  @Test
  void aDeviceSilentLongerThanTheDormancyLimitRaisesAnAlarmThatClearsWhenItConnects()
      throws Exception {
    hub =
        new HubFixture(dir.resolve("data"))
            .withDetect(
                DetectSettings.defaults()
                    .withPeriod(Duration.ofMillis(300))
                    .withDormantAfter(Duration.ofSeconds(3)))
            .start();
    hub.hub()
        .events()
        .subscribe(
            e -> {
              if (e.type().startsWith("defender.alarm.")) {
                alarms.add(e);
              }
            });
    assertThat(hub.createPolicy("device", DetectIT.POLICY).exitCode()).isZero();
    Path certs = dir.resolve("certs");
    hub.issueDevice("awake", "device", certs);
    Mqtt5BlockingClient awake = new DeviceClients(hub.mqttPort(), certs).mqtt5("awake", "awake");
    awake.connect();
    hub.issueDevice("sleeper", "device", certs);

    await()
        .atMost(Duration.ofSeconds(15))
        .until(
            () ->
                alarms.stream()
                    .anyMatch(
                        e ->
                            e.type().equals("defender.alarm.active")
                                && e.subject().equals("sleeper")));
    HubEvent dormant =
        alarms.stream().filter(e -> e.subject().equals("sleeper")).findFirst().orElseThrow();
    assertThat(dormant.details())
        .containsEntry("profile", "hub-dormancy")
        .containsEntry("metric", "mamori:seconds-since-last-contact")
        .containsEntry("threshold", "3");
    // A connected device is in contact (on a loaded machine it may have been registered more than
    // 3 s before it connected; then its alarm has cleared by now).
    var active = hub.cli("defender", "alarms", "list", "--active");
    assertThat(active.out()).contains("sleeper hub-dormancy/dormant").doesNotContain("awake");

    Mqtt5BlockingClient sleeper =
        new DeviceClients(hub.mqttPort(), certs).mqtt5("sleeper", "sleeper");
    sleeper.connect();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                alarms.stream()
                    .anyMatch(
                        e ->
                            e.type().equals("defender.alarm.cleared")
                                && e.subject().equals("sleeper")));
    sleeper.disconnect();
    awake.disconnect();
  }
}
