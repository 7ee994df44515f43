package io.mamori.hub.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A graceful stop and start keeps registry, retained messages and persistent sessions. */
class RestartIT {
  static final String CONSOLE_POLICY =
      """
      {"Version": "2012-10-17", "Statement": [
       {"Effect": "Allow", "Action": "iot:Connect", "Resource": "arn:aws:iot:*:*:client/console"},
       {"Effect": "Allow", "Action": ["iot:Publish", "iot:Receive", "iot:RetainPublish"],
        "Resource": "arn:aws:iot:*:*:topic/devices/*"},
       {"Effect": "Allow", "Action": "iot:Subscribe", "Resource": "arn:aws:iot:*:*:topicfilter/devices/*"}]}
      """;

  @TempDir Path dir;
  private HubFixture hub;

  @AfterEach
  void stop() {
    hub.close();
  }

  @Test
  void restartKeepsRegistryRetainedMessagesAndQueuedQos1Messages() throws Exception {
    hub = new HubFixture(dir.resolve("data")).start();
    Path certs = dir.resolve("certs");
    assertThat(hub.createPolicy("device-policy", Policies.DEVICE).exitCode()).isZero();
    assertThat(hub.createPolicy("console-policy", CONSOLE_POLICY).exitCode()).isZero();
    String sensorCert = hub.issueDevice("sensor-1", "device-policy", certs, "model=th-100");
    hub.issueDevice("console", "console-policy", certs);
    String stolenCert = hub.issueDevice("stolen", "device-policy", certs);
    assertThat(hub.cli("cert", "revoke", stolenCert).exitCode()).isZero();

    // sensor-1 opens a persistent session, subscribes, and goes offline.
    var clients = new DeviceClients(hub.mqttPort(), certs);
    Mqtt5BlockingClient sensor = clients.mqtt5("sensor-1", "sensor-1");
    sensor.connectWith().cleanStart(false).sessionExpiryInterval(3600).send();
    sensor.subscribeWith().topicFilter("devices/sensor-1/cmd").qos(MqttQos.AT_LEAST_ONCE).send();
    sensor.disconnect();

    // While it is offline the console queues a command and leaves a retained state.
    Mqtt5BlockingClient console = clients.mqtt5("console", "console");
    console.connect();
    console
        .publishWith()
        .topic("devices/sensor-1/cmd")
        .payload(bytes("reboot"))
        .qos(MqttQos.AT_LEAST_ONCE)
        .send();
    console
        .publishWith()
        .topic("devices/sensor-1/state")
        .payload(bytes("installed"))
        .qos(MqttQos.AT_LEAST_ONCE)
        .retain(true)
        .send();
    console.disconnect();

    hub.restart();

    // Registry survived.
    assertThat(hub.cli("thing", "show", "sensor-1").out()).contains("th-100");
    assertThat(hub.cli("policy", "show", "device-policy").exitCode()).isZero();
    assertThat(hub.cli("cert", "show", sensorCert).out())
        .contains("ACTIVE")
        .contains("sensor-1")
        .contains("device-policy");
    assertThat(hub.cli("cert", "show", stolenCert).out()).contains("REVOKED");

    // The persistent session and its queued QoS 1 message survived.
    clients = new DeviceClients(hub.mqttPort(), certs);
    sensor = clients.mqtt5("sensor-1", "sensor-1");
    try (var messages = sensor.publishes(com.hivemq.client.mqtt.MqttGlobalPublishFilter.ALL)) {
      var connAck = sensor.connectWith().cleanStart(false).sessionExpiryInterval(3600).send();
      assertThat(connAck.isSessionPresent()).isTrue();
      Mqtt5Publish queued = messages.receive(10, TimeUnit.SECONDS).orElseThrow();
      assertThat(queued.getTopic().toString()).isEqualTo("devices/sensor-1/cmd");
      assertThat(new String(queued.getPayloadAsBytes(), StandardCharsets.UTF_8))
          .isEqualTo("reboot");

      // The retained message survived and reaches an exact subscription.
      sensor.subscribeWith().topicFilter("devices/sensor-1/state").send();
      Mqtt5Publish retained = messages.receive(10, TimeUnit.SECONDS).orElseThrow();
      assertThat(retained.isRetain()).isTrue();
      assertThat(new String(retained.getPayloadAsBytes(), StandardCharsets.UTF_8))
          .isEqualTo("installed");
    }
    sensor.disconnect();

    // The revoked certificate stays refused.
    Mqtt5BlockingClient stolen = clients.mqtt5("stolen", "stolen");
    org.assertj.core.api.Assertions.assertThatThrownBy(stolen::connect)
        .hasMessageContaining("NOT_AUTHORIZED");
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
