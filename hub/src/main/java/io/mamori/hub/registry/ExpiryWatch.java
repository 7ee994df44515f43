package io.mamori.hub.registry;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@link CertificateExpiry#raiseEvents()} at start and then every {@code period} on its own
 * daemon thread, so the check never runs on a broker or API thread.
 */
public final class ExpiryWatch implements AutoCloseable {
  /** Default period between checks. */
  public static final Duration HOURLY = Duration.ofHours(1);

  private static final Logger log = LoggerFactory.getLogger(ExpiryWatch.class);

  private final CertificateExpiry expiry;
  private final Duration period;
  private final ScheduledExecutorService timer;

  public ExpiryWatch(CertificateExpiry expiry, Duration period) {
    this.expiry = expiry;
    this.period = period;
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "mamori-expiry-watch");
              t.setDaemon(true);
              return t;
            });
  }

  public ExpiryWatch start() {
    timer.scheduleAtFixedRate(this::check, 0, period.toMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  private void check() {
    try {
      int raised = expiry.raiseEvents();
      if (raised > 0) {
        log.info("certificate expiry check raised={}", raised);
      }
    } catch (RuntimeException e) {
      // The next run tries again; a failed check must not cancel the schedule.
      log.error("certificate expiry check failed reason={}", e.toString(), e);
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
