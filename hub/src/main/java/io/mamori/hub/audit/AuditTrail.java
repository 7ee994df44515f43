package io.mamori.hub.audit;

import io.mamori.hub.events.HubEvent;
import io.mamori.hub.metrics.MetricRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit log with its copies and metrics, as the hub wires it: {@code DATA/audit/} for the
 * segments, {@code DATA/audit-key/} for the signing key, {@code DATA/audit-copy/} for the HTTP
 * copy's progress.
 */
public final class AuditTrail implements Consumer<HubEvent>, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AuditTrail.class);
  private final AuditLog auditLog;
  private final List<AuditReplicator> copies;

  private AuditTrail(AuditLog auditLog, List<AuditReplicator> copies) {
    this.auditLog = auditLog;
    this.copies = copies;
  }

  public static Path logDir(Path dataDir) {
    return dataDir.resolve("audit");
  }

  /** Opens the log (creating the key on first start), starts its copies, registers metrics. */
  public static AuditTrail start(
      Path dataDir, AuditSettings settings, Clock clock, MetricRegistry metrics) {
    AuditSigningKey key = AuditSigningKey.loadOrCreate(dataDir.resolve("audit-key"), clock);
    AuditLog auditLog = new AuditLog(logDir(dataDir), key, settings, clock);
    List<AuditReplicator> copies = new ArrayList<>();
    Path certificate = logDir(dataDir).resolve(AuditSigningKey.CERTIFICATE_FILE);
    settings
        .copyDir()
        .ifPresent(
            dir ->
                copies.add(
                    new AuditReplicator(
                        logDir(dataDir), new DirectoryCopyTarget(dir, certificate))));
    settings
        .copyUrl()
        .ifPresent(
            url ->
                copies.add(
                    new AuditReplicator(
                        logDir(dataDir),
                        new HttpCopyTarget(
                            url,
                            settings.copyCa(),
                            settings.copyToken(),
                            dataDir.resolve("audit-copy").resolve("http.seq")))));
    for (AuditReplicator copy : copies) {
      auditLog.onFlushed(copy::wake);
      copy.start();
    }
    metrics.counter(
        "mamori_audit_records_written_total",
        "Audit records appended and fsynced (events, checkpoints, gaps).",
        auditLog::recordsWritten);
    metrics.gauge(
        "mamori_audit_queue_depth", "Events waiting for the audit writer.", auditLog::queueDepth);
    metrics.counter(
        "mamori_audit_events_lost_total",
        "Events that found the audit queue full (each counted in a gap record).",
        auditLog::eventsLost);
    metrics.counter(
        "mamori_audit_write_failures_total",
        "Failed audit writes (retried).",
        auditLog::writeFailures);
    metrics.gauge(
        "mamori_audit_last_seq", "Sequence number of the last audit record.", auditLog::lastSeq);
    metrics.labeledGauge(
        "mamori_audit_copy_acknowledged_seq",
        "Last audit record each copy target acknowledged (-1 before it answered).",
        () -> {
          var samples = new java.util.TreeMap<String, Long>();
          copies.forEach(
              c -> samples.put(MetricRegistry.label("target", c.describe()), c.acknowledged()));
          return samples;
        });
    log.info(
        "audit log started dir={} keyId={} copies={}", logDir(dataDir), key.keyId(), copies.size());
    return new AuditTrail(auditLog, copies);
  }

  @Override
  public void accept(HubEvent event) {
    auditLog.accept(event);
  }

  public AuditReader reader() {
    return new AuditReader(auditLog.directory());
  }

  /** Flushes the log with a final checkpoint, then lets the copies catch up briefly and stop. */
  @Override
  public void close() {
    auditLog.close();
    long deadline = System.nanoTime() + 2_000_000_000L;
    for (AuditReplicator copy : copies) {
      copy.wake(auditLog.lastSeq());
      while (copy.acknowledged() >= 0
          && copy.acknowledged() < auditLog.lastSeq()
          && System.nanoTime() < deadline) {
        Thread.onSpinWait();
        try {
          Thread.sleep(10);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
      copy.close();
    }
  }
}
