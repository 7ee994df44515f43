package io.mamori.hub.defender;

import io.mamori.hub.defender.AuditFinding.Severity;
import io.mamori.hub.registry.CertificateStatus;
import io.mamori.hub.registry.DeviceCertificate;
import io.mamori.hub.registry.Policy;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Runs every configuration audit check of reference §8.1 that fits a self-hosted hub, on demand,
 * and returns the findings most severe first. The registry is read through suppliers so this
 * package needs no store; the live connections come from a {@link ConnectionWatch} on the bus.
 */
public final class ConfigurationAudit {
  private final Supplier<List<Policy>> policies;
  private final Supplier<List<DeviceCertificate>> certificates;
  private final Supplier<List<X509Certificate>> caChain;
  private final Function<String, Optional<CertificateStatus>> status;
  private final ConnectionWatch connections;
  private final boolean auditLogEnabled;
  private final Clock clock;

  public ConfigurationAudit(
      Supplier<List<Policy>> policies,
      Supplier<List<DeviceCertificate>> certificates,
      Supplier<List<X509Certificate>> caChain,
      Function<String, Optional<CertificateStatus>> status,
      ConnectionWatch connections,
      boolean auditLogEnabled,
      Clock clock) {
    this.policies = policies;
    this.certificates = certificates;
    this.caChain = caChain;
    this.status = status;
    this.connections = connections;
    this.auditLogEnabled = auditLogEnabled;
    this.clock = clock;
  }

  public List<AuditFinding> run() {
    List<AuditFinding> findings = new ArrayList<>();
    findings.addAll(new PolicyChecks().check(policies.get()));
    findings.addAll(
        new CertificateChecks().check(certificates.get(), caChain.get(), clock.instant()));
    findings.addAll(new ConnectionChecks().check(connections, status));
    if (!auditLogEnabled) {
      findings.add(
          new AuditFinding(
              "LOGGING_DISABLED_CHECK",
              Severity.LOW,
              "LOGGING_DISABLED",
              "ACCOUNT_SETTINGS",
              "audit-log",
              "the hub runs with --no-audit-log: events are not kept in the tamper-evident log"));
    }
    findings.sort(
        Comparator.comparing(AuditFinding::severity)
            .thenComparing(AuditFinding::check)
            .thenComparing(AuditFinding::resourceId));
    return findings;
  }
}
