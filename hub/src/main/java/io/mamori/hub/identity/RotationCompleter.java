package io.mamori.hub.identity;

import io.mamori.hub.events.EventPublisher;
import io.mamori.hub.events.HubEvent;
import io.mamori.hub.registry.CertificateRepository;
import io.mamori.hub.registry.CertificateService;
import io.mamori.hub.registry.CertificateStatus;
import io.mamori.hub.registry.Transactor;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finishes certificate rotations: the old certificate is deactivated as soon as the device has
 * connected with the new one (it demonstrably holds and uses it), or when the grace period ends,
 * whichever is first. Rotations are stored, so both survive a hub restart: the sweep at start
 * catches deadlines that passed while the hub was down.
 *
 * <p>It listens to the event bus for {@code mqtt.connect}; events arrive on Netty event loops, so
 * it only checks an in-memory set there and does the database work on its own thread.
 */
public final class RotationCompleter implements Consumer<HubEvent>, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RotationCompleter.class);

  /** Why a rotation ended. */
  static final String CONNECTED = "connected";

  static final String GRACE_EXPIRED = "grace-expired";
  static final String SUPERSEDED = "superseded";

  private final RotationRepository rotations;
  private final CertificateRepository certificates;
  private final CertificateService certificateService;
  private final OwnershipTokens tokens;
  private final Transactor transactor;
  private final EventPublisher events;
  private final Duration grace;
  private final Clock clock;
  private final PendingRotations pending;
  private final ScheduledExecutorService executor;

  public RotationCompleter(
      RotationRepository rotations,
      CertificateRepository certificates,
      CertificateService certificateService,
      OwnershipTokens tokens,
      PendingRotations pending,
      Transactor transactor,
      EventPublisher events,
      Duration grace,
      Clock clock) {
    this.rotations = rotations;
    this.certificates = certificates;
    this.certificateService = certificateService;
    this.tokens = tokens;
    this.pending = pending;
    this.transactor = transactor;
    this.events = events;
    this.grace = grace;
    this.clock = clock;
    var pool =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "mamori-rotation");
              t.setDaemon(true);
              return t;
            });
    pool.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    this.executor = pool;
  }

  /** The grace period after which an unfinished rotation deactivates the old certificate. */
  public Duration grace() {
    return grace;
  }

  /** Loads the pending rotations, completes those past their deadline, then sweeps regularly. */
  public void start() {
    rotations.pending().forEach(r -> pending.add(r.newCertificateId()));
    sweep();
    long every = sweepInterval(grace).toMillis();
    executor.scheduleWithFixedDelay(this::sweepSafely, every, every, TimeUnit.MILLISECONDS);
  }

  /** Often enough that a short grace is honoured closely; at most once a minute. */
  static Duration sweepInterval(Duration grace) {
    Duration quarter = grace.dividedBy(4);
    if (quarter.compareTo(Duration.ofSeconds(1)) < 0) {
      return Duration.ofSeconds(1);
    }
    return quarter.compareTo(Duration.ofMinutes(1)) > 0 ? Duration.ofMinutes(1) : quarter;
  }

  /** Event bus subscriber; runs on the publishing thread (often a Netty loop): no blocking here. */
  @Override
  public void accept(HubEvent event) {
    if (!event.type().equals("mqtt.connect") || !event.outcome().equals(HubEvent.SUCCESS)) {
      return;
    }
    String certificateId = event.actor();
    if (!pending.remove(certificateId)) {
      return;
    }
    try {
      executor.execute(() -> completeSafely(certificateId, CONNECTED));
    } catch (RejectedExecutionException e) {
      pending.add(certificateId); // shutting down: the deadline sweep after restart finishes it
    }
  }

  /** Completes every rotation whose deadline has passed; returns how many. */
  public int sweep() {
    Instant now = clock.instant();
    int done = 0;
    for (Rotation rotation : rotations.pending()) {
      if (!now.isBefore(rotation.deadline())) {
        pending.remove(rotation.newCertificateId());
        if (complete(rotation.newCertificateId(), GRACE_EXPIRED)) {
          done++;
        }
      }
    }
    int purged = tokens.purgeExpired();
    if (purged > 0) {
      log.debug("expired ownership tokens purged count={}", purged);
    }
    return done;
  }

  private void sweepSafely() {
    try {
      sweep();
    } catch (RuntimeException e) {
      log.error("rotation sweep failed reason={}", e.toString(), e);
    }
  }

  private void completeSafely(String newCertificateId, String outcome) {
    try {
      complete(newCertificateId, outcome);
    } catch (RuntimeException e) {
      // Not lost: the rotation is still pending in the store; the next connect or the deadline
      // sweep tries again.
      pending.add(newCertificateId);
      log.error(
          "rotation completion failed newCertId={} reason={}", newCertificateId, e.toString(), e);
    }
  }

  /**
   * Marks the rotation done and deactivates the old certificate (if still ACTIVE), in one
   * transaction. When the device connected with this new certificate, other unfinished rotations of
   * the same old certificate are superseded and their unused certificates deactivated too.
   */
  boolean complete(String newCertificateId, String outcome) {
    Instant at = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    List<HubEvent> done = new ArrayList<>();
    transactor.inTransaction(
        () -> {
          var rotation = rotations.findPending(newCertificateId);
          if (rotation.isEmpty() || !rotations.complete(newCertificateId, at, outcome)) {
            return;
          }
          String oldId = rotation.get().oldCertificateId();
          deactivate(oldId, "rotated: replaced by " + newCertificateId);
          done.add(completed(newCertificateId, oldId, outcome));
          if (outcome.equals(CONNECTED)) {
            for (Rotation other : rotations.pendingFrom(oldId)) {
              rotations.complete(other.newCertificateId(), at, SUPERSEDED);
              pending.remove(other.newCertificateId());
              deactivate(
                  other.newCertificateId(),
                  "unused: the device connected with " + newCertificateId + " instead");
              done.add(completed(other.newCertificateId(), oldId, SUPERSEDED));
            }
          }
        });
    done.forEach(events::publish);
    return !done.isEmpty();
  }

  private void deactivate(String certificateId, String reason) {
    boolean active =
        certificates
            .find(certificateId)
            .map(c -> c.status() == CertificateStatus.ACTIVE)
            .orElse(false);
    if (active) {
      // Through the service: its event and the enforcer that closes live connections at once.
      certificateService.setStatus(certificateId, CertificateStatus.INACTIVE, "hub", reason);
    }
  }

  private HubEvent completed(String newId, String oldId, String outcome) {
    return new HubEvent(
        "certificate.rotation-completed",
        clock.instant(),
        "hub",
        newId,
        HubEvent.SUCCESS,
        outcome,
        Map.of("oldCertificateId", oldId));
  }

  /** Pending rotations being watched (for tests and status). */
  int watching() {
    return pending.size();
  }

  @Override
  public void close() {
    executor.shutdown();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
