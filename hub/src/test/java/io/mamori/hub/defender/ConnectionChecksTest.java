package io.mamori.hub.defender;

import static org.assertj.core.api.Assertions.assertThat;

import io.mamori.hub.events.HubEvent;
import io.mamori.hub.registry.CertificateStatus;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ConnectionChecksTest {
  private final ConnectionWatch watch = new ConnectionWatch();
  private final Map<String, CertificateStatus> statuses =
      Map.of("cert-a", CertificateStatus.ACTIVE, "cert-b", CertificateStatus.REVOKED);

  private void connect(String session, String certificate, String clientId) {
    watch.accept(
        HubEvent.success(
                "mqtt.connect", Instant.parse("2026-11-02T10:00:00Z"), certificate, clientId)
            .with("sessionIdentifier", session));
  }

  private void disconnect(String session, String certificate, String clientId) {
    watch.accept(
        HubEvent.success(
                "mqtt.disconnect", Instant.parse("2026-11-02T10:01:00Z"), certificate, clientId)
            .with("sessionIdentifier", session));
  }

  private java.util.List<AuditFinding> check() {
    return new ConnectionChecks().check(watch, id -> Optional.ofNullable(statuses.get(id)));
  }

  @Test
  void oneCertificateBehindTwoClientIdsIsShared() {
    connect("s1", "cert-a", "sensor-1");
    connect("s2", "cert-a", "sensor-2");

    assertThat(check())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.check()).isEqualTo("DEVICE_CERTIFICATE_SHARED_CHECK");
              assertThat(f.resourceId()).isEqualTo("cert-a");
              assertThat(f.reason()).contains("[sensor-1, sensor-2]");
            });

    disconnect("s2", "cert-a", "sensor-2");
    assertThat(check()).isEmpty();
  }

  @Test
  void aRevokedCertificateStillConnectedIsFound() {
    connect("s1", "cert-b", "sensor-9");
    assertThat(check())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.check()).isEqualTo("REVOKED_DEVICE_CERTIFICATE_STILL_ACTIVE_CHECK");
              assertThat(f.reason()).contains("REVOKED");
            });
  }

  @Test
  void oneClientIdFromTwoCertificatesConflicts() {
    connect("s1", "cert-a", "sensor-1");
    connect("s2", "cert-c", "sensor-1");
    disconnect("s1", "cert-a", "sensor-1");

    assertThat(check())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.check()).isEqualTo("CONFLICTING_CLIENT_IDS_CHECK");
              assertThat(f.resourceId()).isEqualTo("sensor-1");
              assertThat(f.reason()).contains("[cert-a, cert-c]");
            });
  }
}
