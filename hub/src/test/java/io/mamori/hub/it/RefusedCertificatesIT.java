package io.mamori.hub.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Certificates that must never connect: unknown CA, expired, inactive, none at all. */
class RefusedCertificatesIT {
  @TempDir Path dir;
  private HubFixture hub;
  private Path certs;

  @BeforeEach
  void start() throws Exception {
    hub = new HubFixture(dir.resolve("data")).start();
    certs = dir.resolve("certs");
    assertThat(hub.createPolicy("device-policy", Policies.DEVICE).exitCode()).isZero();
    // Gives certs/ca.crt and a valid device to compare with.
    hub.issueDevice("sensor-1", "device-policy", certs);
  }

  @AfterEach
  void stop() {
    hub.close();
  }

  /** Writes certs/NAME.*: a fresh key's certificate for sensor-1 signed by {@code ca}. */
  private void writeDevice(
      String name, X509Certificate ca, PrivateKey caKey, Instant notBefore, Instant notAfter)
      throws Exception {
    var deviceKeys = TestCertificates.p256();
    var device = TestCertificates.device(deviceKeys, "sensor-1", ca, caKey, notBefore, notAfter);
    TestCertificates.write(certs, name, device, deviceKeys.getPrivate());
  }

  /**
   * As {@link #writeDevice}, signed with the hub's own issuing CA key read from its data directory,
   * so the hub never registered the certificate.
   */
  private void writeHubSignedDevice(String name, Instant notBefore, Instant notAfter)
      throws Exception {
    Path pki = hub.dataDir().resolve("pki");
    writeDevice(
        name,
        TestCertificates.readCertificate(pki.resolve("issuing-ca.crt")),
        io.mamori.hub.pki.CaKeyReader.read(
            pki.resolve("issuing-ca.key"), pki.resolveSibling("ca-passphrase")),
        notBefore,
        notAfter);
  }

  @Test
  void certificateFromAnUnknownCaFailsTheHandshake() throws Exception {
    var caKeys = TestCertificates.p256();
    var ca = TestCertificates.selfSignedCa(caKeys, "Counterfeit CA");
    writeDevice(
        "counterfeit",
        ca,
        caKeys.getPrivate(),
        Instant.now().minusSeconds(60),
        Instant.now().plus(1, ChronoUnit.DAYS));

    var client = new DeviceClients(hub.mqttPort(), certs).mqtt5("counterfeit", "sensor-1");
    assertThatThrownBy(client::connect).isNotNull();
    assertThat(client.getState().isConnected()).isFalse();
  }

  @Test
  void expiredCertificateFromTheHubsOwnCaFailsTheHandshake() throws Exception {
    writeHubSignedDevice(
        "expired",
        Instant.now().minus(10, ChronoUnit.DAYS),
        Instant.now().minus(1, ChronoUnit.DAYS));

    var client = new DeviceClients(hub.mqttPort(), certs).mqtt5("expired", "sensor-1");
    assertThatThrownBy(client::connect).isNotNull();
    assertThat(client.getState().isConnected()).isFalse();
  }

  @Test
  void validSignatureButUnregisteredCertificateIsNotAuthorized() throws Exception {
    writeHubSignedDevice(
        "unregistered", Instant.now().minusSeconds(60), Instant.now().plus(1, ChronoUnit.DAYS));

    var client = new DeviceClients(hub.mqttPort(), certs).mqtt5("unregistered", "sensor-1");
    assertThatThrownBy(client::connect).hasMessageContaining("NOT_AUTHORIZED");
  }

  @Test
  void inactiveCertificateIsNotAuthorized() throws Exception {
    String id = hub.cli("cert", "list", "--json").out();
    String certificateId = id.replaceAll("(?s).*\"id\"\\s*:\\s*\"([0-9a-f]{64})\".*", "$1");
    assertThat(hub.cli("cert", "deactivate", certificateId).exitCode()).isZero();
    var client = new DeviceClients(hub.mqttPort(), certs).mqtt5("sensor-1", "sensor-1");
    assertThatThrownBy(client::connect).hasMessageContaining("NOT_AUTHORIZED");
  }

  @Test
  void clientWithoutACertificateFailsTheHandshake() throws Exception {
    var trustOnly =
        com.hivemq.client.mqtt.MqttClientSslConfig.builder()
            .trustManagerFactory(
                new DeviceClients(hub.mqttPort(), certs)
                    .ssl("sensor-1")
                    .getTrustManagerFactory()
                    .orElseThrow())
            .build();
    var client =
        Mqtt5Client.builder()
            .identifier("sensor-1")
            .serverHost("localhost")
            .serverPort(hub.mqttPort())
            .sslConfig(trustOnly)
            .buildBlocking();
    assertThatThrownBy(client::connect).isNotNull();
    assertThat(Files.exists(certs.resolve("ca.crt"))).isTrue();
  }
}
