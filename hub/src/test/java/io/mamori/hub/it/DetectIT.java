package io.mamori.hub.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import io.mamori.hub.detect.DetectSettings;
import io.mamori.hub.events.HubEvent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Defender Detect against a live hub over real sockets, with HiveMQ clients as devices: a flood
 * raises alarms (static and fleet-statistical) for the flooding device only, the profile's
 * automatic mitigations (quarantine, certificate deactivated) cut the flooder off while the steady
 * devices keep working, an operator verifies and dismisses the alarm, it clears after the
 * consecutive normal datapoints; reconnect storms raise an alarm too.
 */
class DetectIT {
  static final String POLICY =
      """
      {"Version": "2012-10-17", "Statement": [
       {"Effect": "Allow", "Action": "iot:Connect",
        "Resource": "arn:aws:iot:*:*:client/${iot:Connection.Thing.ThingName}",
        "Condition": {"Bool": {"iot:Connection.Thing.IsAttached": "true"}}},
       {"Effect": "Allow", "Action": ["iot:Publish", "iot:Receive"],
        "Resource": ["arn:aws:iot:*:*:topic/devices/${iot:Connection.Thing.ThingName}/*",
                     "arn:aws:iot:*:*:topic/$aws/things/${iot:Connection.Thing.ThingName}/defender/*"]},
       {"Effect": "Allow", "Action": "iot:Subscribe",
        "Resource": ["arn:aws:iot:*:*:topicfilter/devices/${iot:Connection.Thing.ThingName}/*",
                     "arn:aws:iot:*:*:topicfilter/$aws/things/${iot:Connection.Thing.ThingName}/defender/*"]}]}
      """;

  private static final String FLOOD_PROFILE =
      """
      {"description": "telemetry devices send a few messages a minute",
       "behaviors": [
        {"name": "message-flood", "metric": "aws:num-messages-sent",
         "criteria": {"comparisonOperator": "less-than-equals", "value": {"count": 50},
                      "durationSeconds": 5, "consecutiveDatapointsToAlarm": 1,
                      "consecutiveDatapointsToClear": 2}},
        {"name": "above-fleet", "metric": "aws:num-messages-sent",
         "criteria": {"comparisonOperator": "less-than-equals",
                      "statisticalThreshold": {"statistic": "p50"},
                      "durationSeconds": 60, "consecutiveDatapointsToAlarm": 3}}],
       "mitigations": ["QUARANTINE", "DEACTIVATE_CERTIFICATE"],
       "mitigationParameters": {"thingGroupName": "quarantine"}}
      """;

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private HubFixture hub;
  private final List<HubEvent> alarms = new CopyOnWriteArrayList<>();
  private final List<HubEvent> mitigations = new CopyOnWriteArrayList<>();

  @AfterEach
  void stop() {
    if (hub != null) {
      hub.close();
    }
  }

  private void startHub(DetectSettings settings) throws Exception {
    hub = new HubFixture(dir.resolve("data")).withDetect(settings).start();
    hub.hub()
        .events()
        .subscribe(
            e -> {
              if (e.type().startsWith("defender.alarm.")) {
                alarms.add(e);
              }
              if (e.type().equals("defender.mitigation.applied")) {
                mitigations.add(e);
              }
            });
    assertThat(hub.createPolicy("device", POLICY).exitCode()).isZero();
  }

  private HubFixture.CliResult createProfile(String name, String document) throws Exception {
    Path file = Files.createTempFile(dir, name, ".json");
    Files.writeString(file, document);
    return hub.cli("defender", "profile", "create", name, "--document", file.toString());
  }

  private List<HubEvent> alarmEvents(String type, String thing) {
    return alarms.stream().filter(e -> e.type().equals(type) && e.subject().equals(thing)).toList();
  }

  @Test
  void aFloodingDeviceRaisesAlarmsThatAnOperatorJudgesWhileSteadyDevicesStayQuiet()
      throws Exception {
    startHub(DetectSettings.defaults().withPeriod(Duration.ofMillis(500)));
    Path certs = dir.resolve("certs");
    for (String thing : List.of("steady-1", "steady-2", "flooder")) {
      hub.issueDevice(thing, "device", certs);
    }
    var created = createProfile("flood-watch", FLOOD_PROFILE);
    assertThat(created.exitCode()).as(created.err()).isZero();
    var attached = hub.cli("defender", "profile", "attach", "flood-watch", "--all-things");
    assertThat(attached.exitCode()).as(attached.err()).isZero();
    assertThat(hub.cli("defender", "profile", "list").out())
        .contains("flood-watch behaviors=2 targets=[\"all\"]")
        .contains("QUARANTINE");

    var clients = new DeviceClients(hub.mqttPort(), certs);
    Mqtt5BlockingClient steady1 = clients.mqtt5("steady-1", "steady-1");
    Mqtt5BlockingClient steady2 = clients.mqtt5("steady-2", "steady-2");
    Mqtt5BlockingClient flooder = clients.mqtt5("flooder", "flooder");
    for (var client : List.of(steady1, steady2, flooder)) {
      client.connect();
    }
    for (int i = 0; i < 5; i++) {
      publish(steady1, "devices/steady-1/telemetry");
      publish(steady2, "devices/steady-2/telemetry");
    }
    // The spike: far more messages than the profile's 50 per 5 s (the broker's own rate limit
    // drops most of them, but the device did send them).
    // On a slow machine Detect may judge the spike and its mitigations cut the flooder off
    // before the loop ends; that is the behaviour under test, so the flood just stops there.
    for (int i = 0; i < 400 && flooder.getState().isConnected(); i++) {
      try {
        publish(flooder, "devices/flooder/telemetry");
      } catch (RuntimeException cutOff) {
        break;
      }
    }

    await()
        .atMost(Duration.ofSeconds(15))
        .until(() -> alarmEvents("defender.alarm.active", "flooder").size() == 2);
    HubEvent flood =
        alarmEvents("defender.alarm.active", "flooder").stream()
            .filter(e -> e.details().get("behavior").equals("message-flood"))
            .findFirst()
            .orElseThrow();
    assertThat(flood.details())
        .containsEntry("profile", "flood-watch")
        .containsEntry("metric", "aws:num-messages-sent")
        .containsEntry("threshold", "50")
        .containsEntry("mitigations", "QUARANTINE,DEACTIVATE_CERTIFICATE");
    assertThat(Long.parseLong(flood.details().get("value"))).isGreaterThan(50);
    assertThat(alarmEvents("defender.alarm.active", "steady-1")).isEmpty();
    assertThat(alarmEvents("defender.alarm.active", "steady-2")).isEmpty();

    // The profile's automatic mitigations: the flooder is quarantined (deny-all group) and its
    // certificate deactivated, which cuts it off at once; the steady devices keep working.
    await()
        .atMost(Duration.ofSeconds(15))
        .until(
            () ->
                mitigations.stream()
                    .filter(e -> e.subject().equals("flooder"))
                    .map(e -> e.details().get("action"))
                    .toList()
                    .containsAll(List.of("QUARANTINE", "DEACTIVATE_CERTIFICATE")));
    await().atMost(Duration.ofSeconds(15)).until(() -> !flooder.getState().isConnected());
    assertThat(mitigations).allMatch(e -> e.subject().equals("flooder"));
    assertThat(hub.cli("group", "list-things", "defender-quarantine").out()).contains("flooder");
    assertThat(steady1.getState().isConnected()).isTrue();
    try (var received = steady1.publishes(com.hivemq.client.mqtt.MqttGlobalPublishFilter.ALL)) {
      steady1
          .subscribeWith()
          .topicFilter("devices/steady-1/echo")
          .qos(MqttQos.AT_LEAST_ONCE)
          .send();
      steady1
          .publishWith()
          .topic("devices/steady-1/echo")
          .qos(MqttQos.AT_LEAST_ONCE)
          .payload("still here".getBytes(StandardCharsets.UTF_8))
          .send();
      assertThat(received.receive(10, java.util.concurrent.TimeUnit.SECONDS)).isPresent();
    }
    var refused = new DeviceClients(hub.mqttPort(), certs).mqtt5("flooder", "flooder");
    org.assertj.core.api.Assertions.assertThatThrownBy(refused::connect)
        .as("a quarantined device with a deactivated certificate cannot come back")
        .isInstanceOf(Exception.class);

    String id = flood.details().get("alarmId");
    var active = hub.cli("defender", "alarms", "list", "--active");
    assertThat(active.exitCode()).as(active.err()).isZero();
    assertThat(active.out())
        .contains(id + " ACTIVE  UNKNOWN   flooder flood-watch/message-flood")
        .contains("flood-watch/above-fleet")
        .doesNotContain("steady-");

    var noNote = hub.cli("defender", "alarm", "verify", id, "--note", " ");
    assertThat(noNote.exitCode()).isEqualTo(1);
    assertThat(noNote.err()).contains("a note of 1 to 1024 characters is required");
    assertThat(hub.cli("defender", "alarm", "verify", "no-such-alarm", "--note", "x").exitCode())
        .isEqualTo(1);
    var verified = hub.cli("defender", "alarm", "verify", id, "--note", "DDoS drill from lab");
    assertThat(verified.exitCode()).as(verified.err()).isZero();
    assertThat(verified.out()).contains(id + " VERIFIED");
    assertThat(alarmEvents("defender.alarm.verified", "flooder"))
        .singleElement()
        .satisfies(e -> assertThat(e.reason()).isEqualTo("DDoS drill from lab"));

    // The flood is over: two consecutive normal datapoints (5 s window) clear the alarm.
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                alarmEvents("defender.alarm.cleared", "flooder").stream()
                    .anyMatch(e -> e.details().get("alarmId").equals(id)));

    // Over REST: dismiss (the operator changes their mind), then the history shows every step.
    var api = new AdminHttps(hub.dataDir(), hub.hub().apiUrl());
    var dismissed =
        api.post("/api/v1/defender/alarms/" + id + "/dismiss", "{\"note\": \"benign load test\"}");
    assertThat(dismissed.statusCode()).as(dismissed.body()).isEqualTo(200);
    JsonNode alarm = JSON.readTree(dismissed.body());
    assertThat(alarm.path("state").asText()).isEqualTo("CLEARED");
    assertThat(alarm.path("verificationState").asText()).isEqualTo("DISMISSED");
    // The operator's verify and the detector's clear race on a loaded machine (the clear comes
    // from two normal datapoints, the verify from a CLI process): either order is a true history.
    List<String> changes = alarm.path("history").findValuesAsText("change");
    assertThat(changes).hasSize(4).startsWith("ACTIVE").endsWith("DISMISSED");
    assertThat(changes.subList(1, 3)).containsExactlyInAnyOrder("VERIFIED", "CLEARED");
    assertThat(api.post("/api/v1/defender/alarms/" + id + "/dismiss", "{}").statusCode())
        .isEqualTo(400);
    assertThat(hub.cli("defender", "alarms", "list").out()).contains(id + " CLEARED DISMISSED");

    String metrics = api.get("/metrics").body();
    assertThat(metrics)
        .contains("mamori_defender_alarm_transitions_total{change=\"VERIFIED\"} 1")
        .contains("mamori_defender_alarm_transitions_total{change=\"DISMISSED\"} 1")
        .contains("# TYPE mamori_defender_alarms_active gauge");
    steady1.disconnect();
    steady2.disconnect();
  }

  @Test
  void repeatedConnectionTakeoversRaiseAnUnexpectedDisconnectAlarm() throws Exception {
    startHub(DetectSettings.defaults().withPeriod(Duration.ofMillis(300)));
    Path certs = dir.resolve("certs");
    hub.issueDevice("roamer", "device", certs);
    assertThat(
            createProfile(
                    "lost-devices",
                    """
                    {"behaviors": [{"name": "unexpected-disconnects",
                      "metric": "mamori:num-unexpected-disconnects",
                      "criteria": {"comparisonOperator": "less-than", "value": {"count": 3},
                                   "durationSeconds": 60}}]}
                    """)
                .exitCode())
        .isZero();
    assertThat(hub.cli("group", "create", "field").exitCode()).isZero();
    var attached = hub.cli("defender", "profile", "attach", "lost-devices", "--group", "field");
    assertThat(attached.exitCode()).as(attached.err()).isZero();
    var notAGroup = hub.cli("defender", "profile", "attach", "lost-devices", "--group", "nope");
    assertThat(notAGroup.exitCode()).isEqualTo(1);
    assertThat(notAGroup.err()).contains("no thing group nope");
    assertThat(hub.cli("group", "add-thing", "field", "roamer").exitCode()).isZero();

    // A clone (or a flapping link) takes the client id over again and again: each takeover ends
    // the previous connection without a DISCONNECT from it (reference §7.6 DUPLICATE_CLIENTID).
    var clients = new DeviceClients(hub.mqttPort(), certs);
    Mqtt5BlockingClient last = null;
    for (int i = 0; i < 4; i++) {
      last = clients.mqtt5("roamer", "roamer");
      last.connect();
    }
    await()
        .atMost(Duration.ofSeconds(15))
        .until(() -> alarmEvents("defender.alarm.active", "roamer").size() == 1);
    assertThat(alarmEvents("defender.alarm.active", "roamer").get(0).details())
        .containsEntry("metric", "mamori:num-unexpected-disconnects")
        .containsEntry("mitigations", "");
    last.disconnect();
  }

  private static void publish(Mqtt5BlockingClient client, String topic) {
    client
        .publishWith()
        .topic(topic)
        .qos(MqttQos.AT_MOST_ONCE)
        .payload("{\"t\": 21.5}".getBytes(StandardCharsets.UTF_8))
        .send();
  }
}
