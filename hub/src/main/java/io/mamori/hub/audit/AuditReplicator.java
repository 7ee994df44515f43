package io.mamori.hub.audit;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies the audit log to one {@link AuditCopyTarget} as it grows, on its own thread so that a slow
 * or unreachable target never slows the writer. It resumes from what the target acknowledged (also
 * after a restart) and retries failures with exponential backoff (1 s doubling to 60 s).
 */
public final class AuditReplicator implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AuditReplicator.class);
  private static final long MAX_BACKOFF_MILLIS = 60_000;

  private final java.nio.file.Path logDir;
  private final AuditCopyTarget target;
  private final Object signal = new Object();
  private final AtomicLong acknowledged = new AtomicLong(-1);
  private final LongAdder failures = new LongAdder();
  private final Thread thread;
  private volatile boolean running = true;

  public AuditReplicator(java.nio.file.Path logDir, AuditCopyTarget target) {
    this.logDir = logDir;
    this.target = target;
    this.thread = new Thread(this::run, "mamori-audit-copy");
    thread.setDaemon(true);
  }

  public AuditReplicator start() {
    thread.start();
    return this;
  }

  /** New records are durable up to {@code seq}: look for them now rather than at the next poll. */
  public void wake(long seq) {
    synchronized (signal) {
      signal.notifyAll();
    }
  }

  /** Last sequence number the target acknowledged (-1 until it answered once). */
  public long acknowledged() {
    return acknowledged.get();
  }

  public long failures() {
    return failures.sum();
  }

  public String describe() {
    return target.describe();
  }

  private void run() {
    long backoff = 1000;
    SegmentTail tail = null;
    List<AuditReader.Line> pending = List.of();
    while (running) {
      try {
        if (tail == null) {
          long acked = target.acknowledged();
          acknowledged.set(acked);
          tail = new SegmentTail(logDir, acked);
          log.info("audit copy resumes target={} afterSeq={}", target.describe(), acked);
        }
        if (pending.isEmpty()) {
          pending = tail.next();
        }
        if (pending.isEmpty()) {
          await(1000);
          continue;
        }
        target.send(tail.segmentName(), pending);
        acknowledged.set(pending.get(pending.size() - 1).record().seq());
        pending = List.of();
        backoff = 1000;
      } catch (Exception e) {
        failures.increment();
        log.warn(
            "audit copy failed, retrying target={} inMillis={} reason={}",
            target.describe(),
            backoff,
            e.toString());
        await(backoff);
        backoff = Math.min(backoff * 2, MAX_BACKOFF_MILLIS);
      }
    }
  }

  private void await(long millis) {
    synchronized (signal) {
      if (!running) {
        return;
      }
      try {
        signal.wait(millis);
      } catch (InterruptedException e) {
        running = false;
      }
    }
  }

  /** Stops copying; what is not copied yet is copied after the next start. */
  @Override
  public void close() {
    running = false;
    wake(0);
    try {
      thread.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
