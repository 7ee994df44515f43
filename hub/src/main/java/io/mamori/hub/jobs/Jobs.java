package io.mamori.hub.jobs;

import io.mamori.hub.events.EventPublisher;
import io.mamori.hub.groups.ThingGroups;
import io.mamori.hub.mqtt.ReservedTopicHandler;
import io.mamori.hub.registry.CertificateRepository;
import io.mamori.hub.registry.ThingRepository;
import io.mamori.hub.store.SqliteDatabase;
import io.mamori.hub.store.SqliteJobRepository;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires the jobs feature for the hub in two steps, because the broker needs the topic handler
 * before it exists, and the service needs the broker (to publish notify events) and the group
 * membership (created after the broker): {@link #topicHandler} first, {@link #start} once both
 * exist and before the broker accepts connections.
 */
public final class Jobs implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Jobs.class);
  private static final long TIMEOUT_SWEEP_SECONDS = 15;
  private static final long RELEASE_TICK_MILLIS = 1000;
  private final SqliteDatabase database;
  private final ThingRepository things;
  private final EventPublisher events;
  private final Clock clock;
  private final JobTopicHandler handler;
  // Membership changes arrive on the hub's membership thread, which must not block.
  private final ScheduledExecutorService follower =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "jobs-membership");
            t.setDaemon(true);
            return t;
          });
  private volatile JobService service;

  public Jobs(
      SqliteDatabase database,
      ThingRepository things,
      CertificateRepository certificates,
      EventPublisher events,
      Clock clock) {
    this.database = database;
    this.things = things;
    this.events = events;
    this.clock = clock;
    this.handler =
        new JobTopicHandler(
            this::service,
            (certificate, thing) -> certificates.thingsOf(certificate).contains(thing),
            events,
            clock);
  }

  public ReservedTopicHandler topicHandler() {
    return handler;
  }

  /** Creates the service; continuous jobs follow {@code groups} from now on. */
  public JobService start(ThingGroups groups, JobNotifier notifier) {
    return start(groups, notifier, DeliveredDocuments.AS_STORED);
  }

  /** As above; devices receive job documents as {@code delivered} renders them. */
  public JobService start(ThingGroups groups, JobNotifier notifier, DeliveredDocuments delivered) {
    JobService created =
        new JobService(
            new SqliteJobRepository(database),
            things,
            groups,
            database,
            events,
            notifier,
            clock,
            delivered);
    service = created;
    groups.addListener(
        change ->
            follower.execute(
                () -> {
                  try {
                    created.membershipChanged(change);
                  } catch (RuntimeException e) {
                    log.error(
                        "continuous jobs not updated thing={} reason={}",
                        change.thing(),
                        e.toString(),
                        e);
                  }
                }));
    // In-progress timers have minute granularity; a sweep every 15 s keeps them within 15 s.
    follower.scheduleWithFixedDelay(
        () -> {
          if (database.isClosed()) {
            follower.shutdown(); // the hub stopped without closing jobs: nothing left to sweep
            return;
          }
          try {
            created.timeOutExpired();
          } catch (RuntimeException e) {
            log.error("job timeouts not applied reason={}", e.toString(), e);
          }
        },
        TIMEOUT_SWEEP_SECONDS,
        TIMEOUT_SWEEP_SECONDS,
        TimeUnit.SECONDS);
    // Rollouts: held-back executions are released off the event loop, once a second, so a
    // window's releases are spread over it rather than waiting for the next minute.
    follower.scheduleWithFixedDelay(
        () -> {
          if (database.isClosed()) {
            follower.shutdown();
            return;
          }
          try {
            int released = created.releaseDue();
            if (released > 0) {
              log.debug("rollout released={}", released);
            }
          } catch (RuntimeException e) {
            log.error("job rollouts not released reason={}", e.toString(), e);
          }
        },
        RELEASE_TICK_MILLIS,
        RELEASE_TICK_MILLIS,
        TimeUnit.MILLISECONDS);
    return created;
  }

  public JobService service() {
    JobService current = service;
    if (current == null) {
      throw new IllegalStateException("jobs not started");
    }
    return current;
  }

  @Override
  public void close() {
    // Queued membership work still runs (the database closes after this); the periodic timeout
    // sweep stops at once.
    follower.shutdown();
    try {
      follower.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
