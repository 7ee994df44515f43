package io.mamori.hub.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Revoking or deactivating a certificate cuts its live connections and keeps it out. */
class RevocationIT {
  @TempDir Path dir;
  private HubFixture hub;
  private DeviceClients clients;
  private String certificateId;

  @BeforeEach
  void startHubWithOneDevice() throws Exception {
    hub = new HubFixture(dir.resolve("data")).start();
    Path certs = dir.resolve("certs");
    assertThat(hub.createPolicy("device-policy", Policies.DEVICE).exitCode()).isZero();
    certificateId = hub.issueDevice("sensor-1", "device-policy", certs);
    clients = new DeviceClients(hub.mqttPort(), certs);
  }

  @AfterEach
  void stop() {
    hub.close();
  }

  @Test
  void revokeDisconnectsALiveSubscriberAndRefusesItsReturn() throws Exception {
    Mqtt5BlockingClient device = connectedSubscriber();

    long start = System.nanoTime();
    var revoked = hub.cli("cert", "revoke", certificateId);
    assertThat(revoked.exitCode()).as(revoked.err()).isZero();
    await().atMost(Duration.ofSeconds(5)).until(() -> !device.getState().isConnected());
    long millis = (System.nanoTime() - start) / 1_000_000;
    // Reported, not asserted: speed belongs in benchmarks. Includes the CLI's HTTPS round trip.
    System.out.printf("revoke-to-disconnect (CLI call included): %d ms%n", millis);

    assertRefused(device);
    assertThat(hub.deniedConnects()).contains(certificateId);
    assertThat(hub.cli("cert", "activate", certificateId).exitCode()).isNotZero();
  }

  @Test
  void deactivateDisconnectsAndActivateLetsTheDeviceBack() throws Exception {
    Mqtt5BlockingClient device = connectedSubscriber();

    assertThat(hub.cli("cert", "deactivate", certificateId).exitCode()).isZero();
    await().atMost(Duration.ofSeconds(5)).until(() -> !device.getState().isConnected());
    assertRefused(device);

    assertThat(hub.cli("cert", "activate", certificateId).exitCode()).isZero();
    device.connect();
    assertThat(device.getState().isConnected()).isTrue();
    device.disconnect();
  }

  @Test
  void detachingItsOnlyPolicyDisconnectsALiveDeviceAndRefusesItsReturn() throws Exception {
    Mqtt5BlockingClient device = connectedSubscriber();
    var before = device.publishWith().topic("devices/sensor-1/a").qos(MqttQos.AT_LEAST_ONCE).send();
    assertThat(before.getError()).isEmpty();

    assertThat(hub.cli("policy", "detach", "device-policy", "--cert", certificateId).exitCode())
        .isZero();
    // No policy allows iot:Connect any more: it is cut off like a revoked device.
    await().atMost(Duration.ofSeconds(5)).until(() -> !device.getState().isConnected());
    assertRefused(device);
  }

  private Mqtt5BlockingClient connectedSubscriber() throws Exception {
    Mqtt5BlockingClient device = clients.mqtt5("sensor-1", "sensor-1");
    device.connect();
    device.subscribeWith().topicFilter("devices/sensor-1/#").qos(MqttQos.AT_LEAST_ONCE).send();
    return device;
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
