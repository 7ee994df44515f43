package io.mamori.hub.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SessionIT {
  private BrokerFixture hub;

  @BeforeEach
  void start() {
    hub = new BrokerFixture().start();
  }

  @AfterEach
  void stop() {
    hub.close();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private List<String> receiveAll(
      com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient.Mqtt5Publishes publishes, int count)
      throws InterruptedException {
    List<String> payloads = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      publishes
          .receive(5, TimeUnit.SECONDS)
          .ifPresent(p -> payloads.add(new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8)));
    }
    return payloads;
  }

  @Test
  void persistentSessionGetsQueuedQos1MessagesAfterReconnect() throws Exception {
    var device = hub.client3("persistent-3", "device-a");
    device.connectWith().cleanSession(false).send();
    device.subscribeWith().topicFilter("cmd/device-a").qos(MqttQos.AT_LEAST_ONCE).send();
    device.disconnect();

    hub.broker.publish("cmd/device-a", bytes("one"), 1, false);
    hub.broker.publish("cmd/device-a", bytes("two"), 1, false);
    hub.broker.publish("cmd/device-a", bytes("lost-qos0"), 0, false);

    var again = hub.client3("persistent-3", "device-a");
    try (var received = again.publishes(MqttGlobalPublishFilter.ALL)) {
      var ack = again.connectWith().cleanSession(false).send();
      assertThat(ack.isSessionPresent()).isTrue();
      List<String> payloads = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        received
            .receive(5, TimeUnit.SECONDS)
            .ifPresent(
                p -> payloads.add(new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8)));
      }
      assertThat(payloads).containsExactly("one", "two");
      assertThat(received.receive(200, TimeUnit.MILLISECONDS)).isEmpty();
    }
  }

  @Test
  void persistentSessionAndQueuedMessagesSurviveABrokerRestart() throws Exception {
    var device = hub.client5("persistent-5", "device-a");
    device.connectWith().cleanStart(false).sessionExpiryInterval(3600).send();
    device.subscribeWith().topicFilter("cmd/+").qos(MqttQos.AT_LEAST_ONCE).send();
    device.disconnect();
    hub.broker.publish("cmd/reboot", bytes("reboot"), 1, false);

    hub.restart();
    assertThat(hub.sessionStore.sessions()).containsKey("persistent-5");

    hub.broker.publish("cmd/update", bytes("update"), 1, false);
    var again = hub.client5("persistent-5", "device-a");
    try (var received = again.publishes(MqttGlobalPublishFilter.ALL)) {
      var ack = again.connectWith().cleanStart(false).sessionExpiryInterval(3600).send();
      assertThat(ack.isSessionPresent()).isTrue();
      assertThat(receiveAll(received, 2)).containsExactly("reboot", "update");
    }
    await().until(() -> hub.sessionStore.queued("persistent-5").isEmpty());
  }

  @Test
  void cleanSessionDiscardsTheStoredSession() throws Exception {
    var device = hub.client5("to-clean", "device-a");
    device.connectWith().cleanStart(false).sessionExpiryInterval(3600).send();
    device.subscribeWith().topicFilter("cmd/+").qos(MqttQos.AT_LEAST_ONCE).send();
    device.disconnect();
    hub.broker.publish("cmd/x", bytes("stale"), 1, false);

    var again = hub.client5("to-clean", "device-a");
    try (var received = again.publishes(MqttGlobalPublishFilter.ALL)) {
      var ack = again.connectWith().cleanStart(true).send();
      assertThat(ack.isSessionPresent()).isFalse();
      assertThat(received.receive(300, TimeUnit.MILLISECONDS)).isEmpty();
    }
    await().until(() -> !hub.sessionStore.sessions().containsKey("to-clean"));
  }

  @Test
  void duplicateClientIdTakesOverAndTheSessionContinues() throws Exception {
    var first = hub.client5("same-id", "device-a");
    first.connectWith().cleanStart(false).sessionExpiryInterval(600).send();
    first.subscribeWith().topicFilter("cmd/+").qos(MqttQos.AT_LEAST_ONCE).send();

    var second = hub.client5("same-id", "device-a");
    try (var received = second.publishes(MqttGlobalPublishFilter.ALL)) {
      var ack = second.connectWith().cleanStart(false).sessionExpiryInterval(600).send();
      assertThat(ack.isSessionPresent()).isTrue();
      await().atMost(Duration.ofSeconds(5)).until(() -> !first.getState().isConnected());

      hub.broker.publish("cmd/go", bytes("go"), 1, false);
      assertThat(receiveAll(received, 1)).containsExactly("go");
    }
    await()
        .until(
            () ->
                hub.events("mqtt.disconnect").stream()
                    .anyMatch(e -> e.reason().equals("DUPLICATE_CLIENTID")));
    assertThat(second.getState().isConnected()).isTrue();
    assertThat(Mqtt5DisconnectReasonCode.SESSION_TAKEN_OVER.getCode()).isEqualTo(0x8E);
  }

  @Test
  void lastWillIsPublishedOnAbnormalCloseButNotOnNormalDisconnect() throws Exception {
    var watcher = hub.client5("watcher", "device-w");
    watcher.connect();
    try (var received = watcher.publishes(MqttGlobalPublishFilter.ALL)) {
      watcher.subscribeWith().topicFilter("status/+").qos(MqttQos.AT_LEAST_ONCE).send();

      var polite = hub.client5("polite", "device-p");
      polite
          .connectWith()
          .willPublish()
          .topic("status/polite")
          .payload(bytes("gone"))
          .applyWillPublish()
          .send();
      polite.disconnect();

      try (var rude =
          new RawClient(hub.pki, hub.pki.clientIdentity("device-r"), hub.broker.port())) {
        rude.send(RawClient.connect(4, "rude", true, "status/rude", bytes("lost")));
        rude.readPacket();
      } // socket closed without DISCONNECT

      var will = received.receive(5, TimeUnit.SECONDS).orElseThrow();
      assertThat(will.getTopic().toString()).isEqualTo("status/rude");
      assertThat(will.getPayloadAsBytes()).isEqualTo(bytes("lost"));
      assertThat(received.receive(300, TimeUnit.MILLISECONDS)).isEmpty();
    }
  }

  @Test
  void mqtt5DisconnectWithZeroSessionExpiryEndsThePersistentSession() {
    var device = hub.client5("short-lived", "device-a");
    device.connectWith().cleanStart(false).sessionExpiryInterval(3600).send();
    device.subscribeWith().topicFilter("cmd/+").qos(MqttQos.AT_LEAST_ONCE).send();
    await().until(() -> hub.sessionStore.sessions().containsKey("short-lived"));

    device.disconnectWith().sessionExpiryInterval(0).send();

    await().until(() -> !hub.sessionStore.sessions().containsKey("short-lived"));
    var again = hub.client5("short-lived", "device-a");
    assertThat(again.connectWith().cleanStart(false).send().isSessionPresent()).isFalse();
  }
}
