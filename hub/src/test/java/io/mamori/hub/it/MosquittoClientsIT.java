package io.mamori.hub.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Eclipse Mosquitto's own clients talk to the hub exactly as the README shows. */
class MosquittoClientsIT {
  @TempDir Path dir;
  private HubFixture hub;
  private MosquittoClients mosquitto;
  private Path certs;

  @BeforeEach
  void startHubWithTwoDevices() throws Exception {
    MosquittoClients.requireInstalled();
    hub = new HubFixture(dir.resolve("data")).start();
    certs = dir.resolve("certs");
    assertThat(hub.createPolicy("device-policy", Policies.DEVICE).exitCode()).isZero();
    for (String device : new String[] {"sensor-1", "sensor-2"}) {
      assertThat(hub.cli("thing", "create", device, "--attr", "model=th-100").exitCode()).isZero();
      var issued =
          hub.cli(
              "cert", "issue", "--thing", device, "--policy", "device-policy", "--out",
              certs.toString());
      assertThat(issued.exitCode()).as(issued.err()).isZero();
      assertThat(issued.id()).matches("[0-9a-f]{64}");
    }
    mosquitto = new MosquittoClients(hub.mqttPort(), certs);
  }

  @AfterEach
  void stop() {
    if (hub != null) {
      hub.close();
    }
  }

  @Test
  void deviceReceivesWhatItPublishesOnItsOwnTopics() throws Exception {
    var subscriber = mosquitto.subscribe("sensor-1", "devices/sensor-1/#", 1);
    awaitSubscribed(subscriber);
    var published = mosquitto.publish("sensor-1", "devices/sensor-1/temp", "21.5");
    assertThat(published.exitCode()).as(published.output()).isZero();
    assertThat(subscriber.awaitOutput(20)).contains("devices/sensor-1/temp 21.5");
  }

  @Test
  void deviceCannotSubscribeToAnotherDevicesTopics() throws Exception {
    var subscriber = mosquitto.subscribe("sensor-1", "devices/sensor-2/#", 1);
    // mosquitto_sub reports a refused subscription and exits non-zero.
    String output = subscriber.awaitOutput(20);
    assertThat(output).containsIgnoringCase("denied");
  }

  @Test
  void publishToAnotherDevicesTopicNeverArrives() throws Exception {
    var watcher = mosquitto.subscribe("sensor-2", "devices/sensor-2/#", 1);
    awaitSubscribed(watcher);
    // sensor-1 tries to write into sensor-2's topics: MQTT 3.1.1 gets disconnected (AWS rule).
    mosquitto.publish("sensor-1", "devices/sensor-2/cmd", "spoofed");
    // sensor-2's own message is the first and only one it sees.
    mosquitto.publish("sensor-2", "devices/sensor-2/cmd", "genuine");
    assertThat(watcher.awaitOutput(20))
        .contains("devices/sensor-2/cmd genuine")
        .doesNotContain("spoofed");
  }

  @Test
  void clientIdOtherThanItsThingIsRefused() throws Exception {
    // The policy allows iot:Connect only as the attached thing's own name.
    var result =
        mosquitto.publish("sensor-1", "devices/sensor-1/temp", "1", "-i", "someone-else");
    assertThat(result.exitCode()).isNotZero();
  }

  /** mosquitto_sub has no "subscribed" signal; retry a marker publish until it arrives. */
  private void awaitSubscribed(MosquittoClients.Subscriber subscriber) throws Exception {
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(10))
        .until(() -> hub.hub().connectedClients() > 0 || !subscriber.process().isAlive());
  }
}
