package io.mamori.hub.defender;

import io.mamori.hub.defender.AuditFinding.Severity;
import io.mamori.hub.registry.CertificateStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Checks of reference §8.1 that look at live connections: {@code DEVICE_CERTIFICATE_SHARED_CHECK}
 * (one certificate behind several concurrent connections with different client ids), {@code
 * CONFLICTING_CLIENT_IDS_CHECK} (one client id used by connections of different certificates), and
 * a revoked or inactive certificate that still has a live connection (which the hub should have
 * cut; reported under {@code REVOKED_DEVICE_CERTIFICATE_STILL_ACTIVE_CHECK}).
 */
public final class ConnectionChecks {

  /**
   * @param status a certificate's status in the registry, empty when it is not registered
   */
  public List<AuditFinding> check(
      ConnectionWatch watch, Function<String, Optional<CertificateStatus>> status) {
    List<AuditFinding> findings = new ArrayList<>();
    Map<String, List<ConnectionWatch.Live>> byCertificate =
        watch.live().stream()
            .collect(
                Collectors.groupingBy(
                    ConnectionWatch.Live::certificateId, TreeMap::new, Collectors.toList()));
    byCertificate.forEach(
        (certificate, connections) -> {
          var clientIds =
              connections.stream()
                  .map(ConnectionWatch.Live::clientId)
                  .collect(Collectors.toCollection(TreeSet::new));
          if (clientIds.size() > 1) {
            findings.add(
                new AuditFinding(
                    "DEVICE_CERTIFICATE_SHARED_CHECK",
                    Severity.CRITICAL,
                    "CERTIFICATE_SHARED_BY_MULTIPLE_DEVICES",
                    "DEVICE_CERTIFICATE",
                    certificate,
                    connections.size()
                        + " connections use this certificate at once, as client ids "
                        + clientIds
                        + "; each device needs its own certificate"));
          }
          Optional<CertificateStatus> current = status.apply(certificate);
          if (current.isPresent() && current.get() != CertificateStatus.ACTIVE) {
            findings.add(
                new AuditFinding(
                    "REVOKED_DEVICE_CERTIFICATE_STILL_ACTIVE_CHECK",
                    Severity.MEDIUM,
                    "CERTIFICATE_" + current.get().name() + "_STILL_CONNECTED",
                    "DEVICE_CERTIFICATE",
                    certificate,
                    "the certificate is "
                        + current.get()
                        + " but still has "
                        + connections.size()
                        + " live connection(s) as "
                        + clientIds
                        + "; deactivate it again to cut them"));
          }
        });
    for (ConnectionWatch.Conflict conflict : watch.conflicts()) {
      findings.add(
          new AuditFinding(
              "CONFLICTING_CLIENT_IDS_CHECK",
              Severity.HIGH,
              "DUPLICATE_CLIENT_ID_ACROSS_CONNECTIONS",
              "CLIENT_ID",
              conflict.clientId(),
              "connections of certificates "
                  + conflict.certificateIds()
                  + " used this client id while another was connected (last at "
                  + conflict.lastSeen()
                  + "); each takes the other's session over"));
    }
    return findings;
  }
}
