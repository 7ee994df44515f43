package io.mamori.hub.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import io.mamori.hub.audit.AuditSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Events of a real hub, from real MQTT connections and CLI calls, land in the audit log. */
class AuditIT {
  private final ObjectMapper json = new ObjectMapper();
  @TempDir Path dir;
  private HubFixture hub;

  @AfterEach
  void stop() {
    if (hub != null) {
      hub.close();
    }
  }

  private DeviceClients startWithDevice(AuditSettings settings) throws Exception {
    hub = new HubFixture(dir.resolve("data")).withAudit(settings).start();
    assertThat(hub.createPolicy("device-policy", Policies.DEVICE).exitCode()).isZero();
    hub.issueDevice("sensor-1", "device-policy", dir.resolve("certs"));
    return new DeviceClients(hub.mqttPort(), dir.resolve("certs"));
  }

  private List<JsonNode> exported() throws Exception {
    var export = hub.cli("audit", "export");
    assertThat(export.exitCode()).as(export.err()).isZero();
    return export.out().lines().map(this::parse).toList();
  }

  private JsonNode parse(String line) {
    try {
      return json.readTree(line);
    } catch (Exception e) {
      throw new AssertionError("not JSON: " + line, e);
    }
  }

  private static Stream<String> types(List<JsonNode> records) {
    return records.stream()
        .filter(r -> r.path("kind").asText().equals("event"))
        .map(
            r ->
                r.path("event").path("type").asText()
                    + "/"
                    + r.path("event").path("outcome").asText());
  }

  @Test
  void mqttAndAdminEventsAreRecordedVerifiedAndAnEditIsCaught() throws Exception {
    DeviceClients clients = startWithDevice(AuditSettings.defaults());
    var device = clients.mqtt5("sensor-1", "sensor-1");
    device.connect();
    device.publishWith().topic("devices/sensor-1/temp").qos(MqttQos.AT_LEAST_ONCE).send();
    // MQTT 5: PUBACK 0x87, which the blocking client throws.
    org.assertj.core.api.Assertions.assertThatThrownBy(
        () ->
            device.publishWith().topic("devices/sensor-2/temp").qos(MqttQos.AT_LEAST_ONCE).send());
    device.disconnect();

    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(types(exported()))
                    .contains(
                        "policy.created/success",
                        "thing.created/success",
                        "certificate.issued/success",
                        "mqtt.connect/success",
                        "mqtt.publish/denied",
                        "mqtt.disconnect/success"));

    var verified = hub.cli("audit", "verify");
    assertThat(verified.exitCode()).as(verified.out() + verified.err()).isZero();
    assertThat(verified.out()).contains("audit log intact");

    // An insider rewrites who was denied, in place, while the hub keeps running.
    Path segment;
    try (var files = Files.list(hub.dataDir().resolve("audit"))) {
      segment =
          files
              .filter(f -> f.getFileName().toString().startsWith("segment-"))
              .findFirst()
              .orElseThrow();
    }
    List<String> lines = Files.readAllLines(segment);
    int denied = -1;
    for (int i = 0; i < lines.size() && denied < 0; i++) {
      if (lines.get(i).contains("\"outcome\":\"denied\"")) {
        denied = i;
      }
    }
    long seq = parse(lines.get(denied)).path("seq").asLong();
    lines.set(denied, lines.get(denied).replace("devices/sensor-2/temp", "devices/sensor-1/temp"));
    Files.write(segment, lines);

    var tampered = hub.cli("audit", "verify");
    assertThat(tampered.exitCode()).isEqualTo(1);
    assertThat(tampered.out())
        .contains(
            "TAMPERED " + segment.getFileName() + ":" + (denied + 1) + " seq " + seq + ": edited");
    assertThat(tampered.err()).contains("audit log verification failed");
  }

  @Test
  void theRestApiListsRecordsSinceATimeAndRefusesBadInput() throws Exception {
    Instant before = Instant.now().minusSeconds(1);
    startWithDevice(AuditSettings.defaults());
    var api = new AdminHttps(hub.dataDir(), hub.hub().apiUrl());

    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              var answer = api.get("/api/v1/audit/events?since=" + before + "&limit=2");
              assertThat(answer.statusCode()).isEqualTo(200);
              JsonNode body = json.readTree(answer.body());
              assertThat(body.path("records")).hasSize(2);
              assertThat(body.path("records").get(0).path("seq").asLong()).isEqualTo(1);
              assertThat(body.path("nextAfterSeq").asLong()).isEqualTo(2);
            });
    var later = json.readTree(api.get("/api/v1/audit/events?afterSeq=2").body());
    assertThat(later.path("records").get(0).path("seq").asLong()).isEqualTo(3);
    var future = json.readTree(api.get("/api/v1/audit/events?since=2999-01-01T00:00:00Z").body());
    assertThat(future.path("records")).isEmpty();

    var bad = api.get("/api/v1/audit/events?since=yesterday");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).contains("since");
    assertThat(api.getWithoutToken("/api/v1/audit/events").statusCode()).isEqualTo(401);
  }

  @Test
  void theLogIsCopiedToASecondDirectoryAndTheCopyVerifiesAlone() throws Exception {
    Path copy = dir.resolve("backup");
    DeviceClients clients = startWithDevice(AuditSettings.defaults().withCopyDir(copy));
    var device = clients.mqtt5("sensor-1", "sensor-1");
    device.connect();
    device.disconnect();
    hub.close();
    hub = hub.restart();

    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              var original = hub.cli("audit", "verify");
              var copied = hub.cli("audit", "verify", "--dir", copy.toString());
              assertThat(copied.exitCode()).as(copied.out() + copied.err()).isZero();
              assertThat(lastSeq(copied.out())).isEqualTo(lastSeq(original.out())).isPositive();
            });
  }

  private static long lastSeq(String verifyOutput) {
    var m = java.util.regex.Pattern.compile("last seq (\\d+)").matcher(verifyOutput);
    assertThat(m.find()).as(verifyOutput).isTrue();
    return Long.parseLong(m.group(1));
  }
}
