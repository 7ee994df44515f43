package io.mamori.hub.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Thing groups over real sockets: group policies on live devices, dynamic groups, bad queries. */
class GroupsIT {
  @TempDir Path dir;
  private HubFixture hub;
  private Path certs;
  private DeviceClients clients;

  @BeforeEach
  void start() throws Exception {
    hub = new HubFixture(dir.resolve("data")).start();
    certs = dir.resolve("certs");
    clients = new DeviceClients(hub.mqttPort(), certs);
  }

  @AfterEach
  void stop() {
    hub.close();
  }

  private void ok(String... args) {
    var result = hub.cli(args);
    assertThat(result.exitCode()).as(String.join(" ", args) + ": " + result.err()).isZero();
  }

  /** A thing with a certificate that has no policy of its own. */
  private void deviceWithoutPolicy(String thing) {
    ok("thing", "create", thing);
    ok("cert", "issue", "--thing", thing, "--out", certs.toString());
  }

  private List<String> listThings(String group) {
    var result = hub.cli("group", "list-things", group);
    assertThat(result.exitCode()).as(result.err()).isZero();
    return result.out().lines().toList();
  }

  @Test
  void aPolicyOnTheParentGroupLetsAMemberConnectAndDetachingItCutsItOffAtOnce() throws Exception {
    assertThat(hub.createPolicy("fleet-policy", Policies.DEVICE).exitCode()).isZero();
    ok("group", "create", "fleet", "--description", "all devices");
    ok("group", "create", "cameras", "--parent", "fleet");
    ok("group", "attach-policy", "fleet", "fleet-policy");
    deviceWithoutPolicy("cam-1");
    Mqtt5BlockingClient device = clients.mqtt5("cam-1", "cam-1");
    assertRefused(device); // not in any group yet: no policy at all

    ok("group", "add-thing", "cameras", "cam-1");
    device.connect();
    try (var publishes = device.publishes(com.hivemq.client.mqtt.MqttGlobalPublishFilter.ALL)) {
      device.subscribeWith().topicFilter("devices/cam-1/#").qos(MqttQos.AT_LEAST_ONCE).send();
      var sent =
          device
              .publishWith()
              .topic("devices/cam-1/status")
              .payload("up".getBytes(StandardCharsets.UTF_8))
              .qos(MqttQos.AT_LEAST_ONCE)
              .send();
      assertThat(sent.getError()).isEmpty();
      var received = publishes.receive(10, TimeUnit.SECONDS);
      assertThat(received).isPresent();
      assertThat(new String(received.get().getPayloadAsBytes(), StandardCharsets.UTF_8))
          .isEqualTo("up");
    }

    long start = System.nanoTime();
    ok("group", "detach-policy", "fleet", "fleet-policy");
    await().atMost(Duration.ofSeconds(5)).until(() -> !device.getState().isConnected());
    System.out.printf(
        "group detach-policy to disconnect (CLI call included): %d ms%n",
        (System.nanoTime() - start) / 1_000_000);
    assertRefused(device);

    ok("group", "attach-policy", "fleet", "fleet-policy");
    device.connect();
    assertThat(device.getState().isConnected()).isTrue();
    ok("group", "remove-thing", "cameras", "cam-1");
    await().atMost(Duration.ofSeconds(5)).until(() -> !device.getState().isConnected());
  }

  @Test
  void aDynamicGroupGainsACameraWhenItConnectsAndLosesItWhenItDisconnects() throws Exception {
    assertThat(hub.createPolicy("device-policy", Policies.DEVICE).exitCode()).isZero();
    hub.issueDevice("cam-7", "device-policy", certs, "model=cam-x1");
    hub.issueDevice("th-1", "device-policy", certs, "model=therm-2");
    ok(
        "group",
        "create",
        "online-cams",
        "--query",
        "attributes.model:cam-* AND connectivity.connected:true");
    await().until(() -> hub.cli("group", "describe", "online-cams").out().contains("ACTIVE"));
    assertThat(listThings("online-cams")).isEmpty();

    Mqtt5BlockingClient camera = clients.mqtt5("cam-7", "cam-7");
    Mqtt5BlockingClient thermometer = clients.mqtt5("th-1", "th-1");
    camera.connect();
    thermometer.connect();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> listThings("online-cams").equals(List.of("cam-7")));
    assertThat(hub.cli("group", "groups-of", "cam-7").out()).contains("online-cams");
    assertThat(hub.hub().thingGroups().groupsOf("th-1")).isEmpty();

    camera.disconnect();
    await().atMost(Duration.ofSeconds(10)).until(() -> listThings("online-cams").isEmpty());
    thermometer.disconnect();
  }

  @Test
  void badQueriesAreRefusedWithThePosition() {
    var missingParen =
        hub.cli(
            "group",
            "create",
            "bad",
            "--query",
            "attributes.model:cam-* AND (connectivity.connected:true");
    assertThat(missingParen.exitCode()).isEqualTo(1);
    assertThat(missingParen.err()).contains("invalid query at character 28: '(' is never closed");

    var unknownField = hub.cli("group", "create", "bad", "--query", "colour:red");
    assertThat(unknownField.exitCode()).isEqualTo(1);
    assertThat(unknownField.err()).contains("at character 1: unknown field 'colour'");
    assertThat(hub.cli("group", "describe", "bad").exitCode()).isEqualTo(1);

    ok("group", "create", "cams", "--query", "attributes.model:cam-*");
    var badUpdate = hub.cli("group", "update", "cams", "--query", "attributes.model:");
    assertThat(badUpdate.err()).contains("at character 18: a value is missing");
    assertThat(hub.cli("group", "describe", "cams").out()).contains("attributes.model:cam-*");
  }

  @Test
  void thingTypesAndGroupsRoundTripThroughTheCli() {
    ok(
        "thing-type",
        "create",
        "camera",
        "--description",
        "IP cameras",
        "--searchable-attr",
        "model");
    assertThat(hub.cli("thing-type", "list").out())
        .isEqualTo(
            "NAME    STATUS  SEARCHABLE  DESCRIPTION\n"
                + "camera  ACTIVE  model       IP cameras\n");
    ok("thing", "create", "cam-1", "--type", "camera", "--attr", "model=cam-x");
    ok("thing-type", "deprecate", "camera");
    var refused = hub.cli("thing", "create", "cam-2", "--type", "camera");
    assertThat(refused.exitCode()).isEqualTo(1);
    assertThat(refused.err()).contains("thing type camera is deprecated");
    assertThat(hub.cli("thing-type", "describe", "camera").out()).contains("deprecated:");

    ok("group", "create", "site", "--attr", "city=tokyo");
    ok("group", "create", "floor-1", "--parent", "site", "--description", "first floor");
    ok("group", "add-thing", "floor-1", "cam-1");
    assertThat(hub.cli("group", "list").out())
        .isEqualTo(
            "NAME     TYPE    PARENT  QUERY\n"
                + "floor-1  STATIC  site    -\n"
                + "site     STATIC  -       -\n");
    String site = hub.cli("group", "describe", "site").out();
    assertThat(site).contains("sub-groups:", "floor-1", "city=tokyo");
    assertThat(listThings("site")).isEmpty();
    assertThat(hub.cli("group", "list-things", "site", "--recursive").out()).isEqualTo("cam-1\n");
    assertThat(hub.cli("group", "groups-of", "cam-1").out()).isEqualTo("floor-1\nsite\n");

    var notEmpty = hub.cli("group", "delete", "site");
    assertThat(notEmpty.exitCode()).isEqualTo(1);
    assertThat(notEmpty.err()).contains("has sub-groups (floor-1)");
    ok("group", "remove-thing", "floor-1", "cam-1");
    ok("group", "delete", "floor-1");
    ok("group", "delete", "site");
    assertThat(hub.cli("group", "describe", "site").err()).contains("thing group site not found");
  }

  private static void assertRefused(Mqtt5BlockingClient device) {
    assertThatThrownBy(device::connect)
        .isInstanceOfSatisfying(
            Mqtt5ConnAckException.class,
            e ->
                assertThat(e.getMqttMessage().getReasonCode())
                    .isEqualTo(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED));
  }
}
