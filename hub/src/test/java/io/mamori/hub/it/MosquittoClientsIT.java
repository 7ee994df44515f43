package io.mamori.hub.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Eclipse Mosquitto's own clients talk to the hub as the README shows. */
class MosquittoClientsIT {
  @TempDir Path dir;
  private HubFixture hub;
  private MosquittoClients mosquitto;

  @BeforeEach
  void startHubWithTwoDevicesAndADashboard() throws Exception {
    MosquittoClients.requireInstalled();
    hub = new HubFixture(dir.resolve("data")).start();
    Path certs = dir.resolve("certs");
    assertThat(hub.createPolicy("device-policy", Policies.DEVICE).exitCode()).isZero();
    assertThat(hub.createPolicy("dashboard-policy", Policies.MONITOR).exitCode()).isZero();
    hub.issueDevice("sensor-1", "device-policy", certs, "model=th-100");
    hub.issueDevice("sensor-2", "device-policy", certs, "model=th-100");
    hub.issueDevice("dashboard", "dashboard-policy", certs, "model=th-100");
    mosquitto = new MosquittoClients(hub.mqttPort(), certs);
  }

  @AfterEach
  void stop() {
    if (hub != null) {
      hub.close();
    }
  }

  @Test
  void dashboardReceivesWhatADevicePublishesOnItsOwnTopics() throws Exception {
    var dashboard = mosquitto.subscribe("dashboard", "devices/#", 1);
    hub.awaitSubscription("dashboard", "devices/#");
    var published = mosquitto.publish("sensor-1", "devices/sensor-1/temp", "21.5");
    assertThat(published.exitCode()).as(published.output()).isZero();
    assertThat(dashboard.awaitOutput(20)).contains("devices/sensor-1/temp 21.5");
  }

  @Test
  void deviceReceivesOnItsOwnSubscription() throws Exception {
    var device = mosquitto.subscribe("sensor-1", "devices/sensor-1/cmd", 1);
    hub.awaitSubscription("sensor-1", "devices/sensor-1/cmd");
    // A console certificate with publish rights sends sensor-1 a command.
    assertThat(hub.createPolicy("console-policy", RestartIT.CONSOLE_POLICY).exitCode()).isZero();
    hub.issueDevice("console", "console-policy", dir.resolve("certs"), "model=th-100");
    var published = mosquitto.publish("console", "devices/sensor-1/cmd", "reboot");
    assertThat(published.exitCode()).as(published.output()).isZero();
    assertThat(device.awaitOutput(20)).contains("devices/sensor-1/cmd reboot");
  }

  @Test
  void deviceCannotSubscribeToAnotherDevicesTopics() throws Exception {
    var subscriber = mosquitto.subscribe("sensor-1", "devices/sensor-2/#", 1);
    // mosquitto_sub reports a refused subscription and exits.
    assertThat(subscriber.awaitOutput(20)).containsIgnoringCase("denied");
  }

  @Test
  void publishToAnotherDevicesTopicNeverArrives() throws Exception {
    var dashboard = mosquitto.subscribe("dashboard", "devices/sensor-2/#", 1);
    hub.awaitSubscription("dashboard", "devices/sensor-2/#");
    // sensor-1 tries to write into sensor-2's topics: denied (MQTT 3.1.1: disconnected).
    mosquitto.publish("sensor-1", "devices/sensor-2/cmd", "spoofed");
    mosquitto.publish("sensor-2", "devices/sensor-2/state", "genuine");
    assertThat(dashboard.awaitOutput(20))
        .contains("devices/sensor-2/state genuine")
        .doesNotContain("spoofed");
  }

  @Test
  void clientIdOtherThanItsThingIsRefused() throws Exception {
    // The device policy allows iot:Connect only as the attached thing's own name.
    var result = mosquitto.publish("sensor-1", "devices/sensor-1/temp", "1", "-i", "someone-else");
    assertThat(result.exitCode()).isNotZero();
  }
}
