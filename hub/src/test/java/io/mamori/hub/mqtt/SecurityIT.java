package io.mamori.hub.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import io.mamori.hub.events.HubEvent;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SecurityIT {
  private BrokerFixture hub;

  @BeforeEach
  void start() {
    hub = new BrokerFixture().start();
  }

  @AfterEach
  void stop() {
    hub.close();
  }

  private void connectWith(KeyManagerFactory keys) {
    var builder =
        MqttClient.builder()
            .useMqttVersion5()
            .identifier("intruder")
            .serverHost("localhost")
            .serverPort(hub.broker.port())
            .sslConfig()
            .trustManagerFactory(hub.pki.trustManagerFactory());
    if (keys != null) {
      builder = builder.keyManagerFactory(keys);
    }
    var client = builder.applySslConfig().buildBlocking();
    client.connectWith().send();
  }

  @Test
  void clientWithoutCertificateFailsTheHandshake() {
    assertThatThrownBy(() -> connectWith(null)).isInstanceOf(RuntimeException.class);
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                hub.events("mqtt.tls").stream()
                    .anyMatch(
                        e ->
                            e.outcome().equals(HubEvent.FAILURE)
                                && e.reason().equals("no client certificate")));
    assertThat(hub.broker.connectionCount()).isZero();
  }

  @Test
  void clientCertificateFromUnknownCaFailsTheHandshake() {
    var stranger = new TestPki("Unknown CA");
    var context = hub.pki.clientContextAlwaysPresenting(stranger.clientIdentity("device-a"));

    // TLS 1.3: the client may finish its side of the handshake before the server refuses.
    try (var client = new RawClient(context, hub.broker.port())) {
      client.send(RawClient.connect311("intruder", true));
      assertThat(client.closedByServer()).isTrue();
    } catch (java.io.IOException refusedDuringHandshake) {
      // TLS 1.2: refused inside the handshake
    }
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                hub.events("mqtt.tls").stream()
                    .anyMatch(e -> e.reason().equals("untrusted client certificate")));
    assertThat(hub.events("mqtt.connect")).isEmpty();
  }

  @Test
  void refusedPrincipalGetsConnAckNotAuthorized() {
    var client = hub.client5("c", "refused-thing");
    assertThatThrownBy(client::connect)
        .isInstanceOfSatisfying(
            Mqtt5ConnAckException.class,
            e ->
                assertThat(e.getMqttMessage().getReasonCode())
                    .isEqualTo(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED));
  }

  @Test
  void disconnectPrincipalClosesEveryLiveConnectionOfThatPrincipalOnly() throws Exception {
    var revokedSub = hub.client5("revoked-1", "revoked-cert");
    revokedSub.connect();
    revokedSub.subscribeWith().topicFilter("alerts/#").qos(MqttQos.AT_LEAST_ONCE).send();
    var revokedOld = hub.client3("revoked-2", "revoked-cert");
    revokedOld.connect();
    var other = hub.client5("other", "good-cert");
    other.connect();
    other.subscribeWith().topicFilter("alerts/#").qos(MqttQos.AT_LEAST_ONCE).send();

    int closed = hub.broker.disconnectPrincipal("revoked-cert", "certificate revoked");

    assertThat(closed).isEqualTo(2);
    await()
        .atMost(Duration.ofSeconds(1))
        .until(() -> !revokedSub.getState().isConnected() && !revokedOld.getState().isConnected());
    try (var received = other.publishes(MqttGlobalPublishFilter.ALL)) {
      hub.broker.publish("alerts/x", new byte[] {1}, 1, false);
      assertThat(received.receive(5, TimeUnit.SECONDS)).isPresent();
    }
    assertThat(other.getState().isConnected()).isTrue();
    await()
        .until(
            () ->
                hub.events("mqtt.disconnect").stream()
                        .filter(e -> e.reason().equals("AUTH_ERROR"))
                        .count()
                    == 2);
  }
}
