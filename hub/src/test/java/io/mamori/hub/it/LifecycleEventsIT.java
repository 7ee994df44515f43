package io.mamori.hub.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A backend written for AWS sees devices come and go on {@code $aws/events/presence/...}. */
class LifecycleEventsIT {
  @TempDir Path dir;
  private HubFixture hub;
  private DeviceClients clients;
  private String deviceCertificateId;

  @BeforeEach
  void startHub() throws Exception {
    hub = new HubFixture(dir.resolve("data")).start();
    Path certs = dir.resolve("certs");
    assertThat(hub.createPolicy("device-policy", Policies.DEVICE).exitCode()).isZero();
    assertThat(hub.createPolicy("events-policy", Policies.LIFECYCLE_MONITOR).exitCode()).isZero();
    deviceCertificateId = hub.issueDevice("sensor-1", "device-policy", certs);
    hub.issueDevice("backend", "events-policy", certs);
    assertThat(hub.createPolicy("connected-only", Policies.CONNECTED_ONLY_MONITOR).exitCode())
        .isZero();
    hub.issueDevice("partial", "connected-only", certs);
    clients = new DeviceClients(hub.mqttPort(), certs);
  }

  @AfterEach
  void stop() {
    hub.close();
  }

  @Test
  void monitorReceivesConnectedThenDisconnectedForADevice() throws Exception {
    Mqtt5BlockingClient monitor = clients.mqtt5("backend", "backend");
    monitor.connect();
    try (var received = monitor.publishes(MqttGlobalPublishFilter.ALL)) {
      var subAck =
          monitor
              .subscribeWith()
              .topicFilter("$aws/events/presence/+/+")
              .qos(MqttQos.AT_MOST_ONCE)
              .send();
      assertThat(subAck.getReasonCodes()).allMatch(code -> !code.isError());
      hub.awaitSubscription("backend", "$aws/events/presence/+/+");

      Mqtt5BlockingClient device = clients.mqtt5("sensor-1", "sensor-1");
      device.connect();
      device.disconnect();

      JsonNode connected = next(received, "$aws/events/presence/connected/sensor-1");
      JsonNode disconnected = next(received, "$aws/events/presence/disconnected/sensor-1");

      assertThat(connected.get("eventType").asText()).isEqualTo("connected");
      assertThat(connected.get("clientId").asText()).isEqualTo("sensor-1");
      assertThat(connected.get("principalIdentifier").asText()).isEqualTo(deviceCertificateId);
      assertThat(connected.get("ipAddress").asText()).isEqualTo("127.0.0.1");
      assertThat(connected.get("sessionIdentifier").asText()).matches("[0-9a-f]{32}");
      assertThat(disconnected.get("eventType").asText()).isEqualTo("disconnected");
      assertThat(disconnected.get("clientId").asText()).isEqualTo("sensor-1");
      assertThat(disconnected.get("principalIdentifier").asText()).isEqualTo(deviceCertificateId);
      assertThat(disconnected.get("disconnectReason").asText())
          .isEqualTo("CLIENT_INITIATED_DISCONNECT");
      assertThat(disconnected.get("clientInitiatedDisconnect").asBoolean()).isTrue();
      assertThat(disconnected.get("sessionIdentifier").asText())
          .isEqualTo(connected.get("sessionIdentifier").asText());
      assertThat(disconnected.get("versionNumber").asLong())
          .isEqualTo(connected.get("versionNumber").asLong());
    } finally {
      monitor.disconnect();
    }
  }

  @Test
  void iotReceiveStillDecidesWhichLifecycleEventsAreDelivered() throws Exception {
    Mqtt5BlockingClient monitor = clients.mqtt5("partial", "partial");
    monitor.connect();
    try (var received = monitor.publishes(MqttGlobalPublishFilter.ALL)) {
      monitor.subscribeWith().topicFilter("$aws/events/presence/+/+").send();
      hub.awaitSubscription("partial", "$aws/events/presence/+/+");

      Mqtt5BlockingClient device = clients.mqtt5("sensor-1", "sensor-1");
      device.connect();
      device.disconnect();
      device.connect();

      // Delivery on one connection keeps order: the second connect arriving next proves the
      // disconnected event in between was withheld (no iot:Receive on it).
      JsonNode first = next(received, "$aws/events/presence/connected/sensor-1");
      JsonNode second = next(received, "$aws/events/presence/connected/sensor-1");
      assertThat(second.get("versionNumber").asLong())
          .isEqualTo(first.get("versionNumber").asLong() + 1);
      device.disconnect();
    } finally {
      monitor.disconnect();
    }
  }

  private static JsonNode next(Mqtt5BlockingClient.Mqtt5Publishes received, String topic)
      throws Exception {
    Mqtt5Publish publish =
        received
            .receive(15, TimeUnit.SECONDS)
            .orElseThrow(() -> new AssertionError("no lifecycle event on " + topic));
    assertThat(publish.getTopic().toString()).isEqualTo(topic);
    return new ObjectMapper().readTree(publish.getPayloadAsBytes());
  }
}
