package io.mamori.hub.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mamori defender audit} against a live hub with real MQTT connections. */
class ConfigurationAuditIT {
  private static final String ANY_CLIENT =
      """
      {"Version": "2012-10-17", "Statement": [
       {"Effect": "Allow", "Action": "iot:Connect", "Resource": "arn:aws:iot:*:*:client/*"}]}
      """;

  @TempDir Path dir;
  private HubFixture hub;

  @AfterEach
  void stop() {
    if (hub != null) {
      hub.close();
    }
  }

  @Test
  void aSharedCertificateAndThePolicyThatAllowsItAreFound() throws Exception {
    hub = new HubFixture(dir.resolve("data")).start();
    assertThat(hub.createPolicy("any-client", ANY_CLIENT).exitCode()).isZero();
    String certificate = hub.issueDevice("sensor-1", "any-client", dir.resolve("certs"));
    var clients = new DeviceClients(hub.mqttPort(), dir.resolve("certs"));
    var original = clients.mqtt5("sensor-1", "sensor-1");
    var clone = clients.mqtt5("sensor-1", "cloned-device");
    original.connect();
    clone.connect();

    var audit = hub.cli("defender", "audit");
    assertThat(audit.exitCode()).as(audit.err()).isZero();
    assertThat(audit.out())
        .contains("CRITICAL DEVICE_CERTIFICATE_SHARED_CHECK DEVICE_CERTIFICATE " + certificate)
        .contains("[cloned-device, sensor-1]")
        .contains("CRITICAL IOT_POLICY_OVERLY_PERMISSIVE_CHECK POLICY any-client")
        .contains("connect as any client id");

    var suppressed =
        hub.cli(
            "defender",
            "suppress",
            "IOT_POLICY_OVERLY_PERMISSIVE_CHECK",
            "any-client",
            "--note",
            "lab devices only");
    assertThat(suppressed.exitCode()).as(suppressed.err()).isZero();
    assertThat(hub.cli("defender", "audit").out())
        .contains("CRITICAL (suppressed: lab devices only) IOT_POLICY_OVERLY_PERMISSIVE_CHECK");
    var noNote =
        hub.cli("defender", "suppress", "IOT_POLICY_OVERLY_PERMISSIVE_CHECK", "x", "--note", " ");
    assertThat(noNote.exitCode()).isEqualTo(1);
    assertThat(noNote.err()).contains("a note of 1 to 1024 characters");
    assertThat(
            hub.cli("defender", "unsuppress", "IOT_POLICY_OVERLY_PERMISSIVE_CHECK", "any-client")
                .exitCode())
        .isZero();
    assertThat(
            hub.cli("defender", "unsuppress", "IOT_POLICY_OVERLY_PERMISSIVE_CHECK", "any-client")
                .exitCode())
        .isEqualTo(1);

    clone.disconnect();
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(hub.cli("defender", "audit").out())
                    .doesNotContain("DEVICE_CERTIFICATE_SHARED_CHECK"));
    original.disconnect();
  }
}
