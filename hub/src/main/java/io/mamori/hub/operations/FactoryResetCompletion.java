package io.mamori.hub.operations;

import io.mamori.hub.events.EventPublisher;
import io.mamori.hub.events.HubEvent;
import io.mamori.hub.jobs.ExecutionStatus;
import io.mamori.hub.jobs.Job;
import io.mamori.hub.jobs.JobExecution;
import io.mamori.hub.jobs.JobService;
import io.mamori.hub.pki.RevocationReason;
import io.mamori.hub.registry.CertificateService;
import io.mamori.hub.registry.ThingService;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finishes a factory reset on the hub side: once a device reports SUCCEEDED for a factory-reset job
 * (it has wiped its key and data), every certificate of its thing is revoked (cessationOfOperation)
 * and detached, so a disposed device, or anyone who kept a copy of its key, cannot come back. Runs
 * on its own thread: the report arrives on the jobs worker, and revoking closes connections and
 * republishes the CRL.
 *
 * <p>Only certificates the hub knew before the device reported are revoked: a thing name reused by
 * a device provisioned after the reset keeps its new certificate. {@link #catchUp()} applies resets
 * reported while the hub could not finish them (a stop between the report and the revocation), so a
 * reset is never left half done.
 */
public final class FactoryResetCompletion implements Consumer<HubEvent>, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(FactoryResetCompletion.class);
  private final JobService jobs;
  private final ThingService things;
  private final CertificateService certificates;
  private final EventPublisher events;
  private final Clock clock;
  private final ExecutorService worker =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "factory-reset");
            t.setDaemon(true);
            return t;
          });

  public FactoryResetCompletion(
      JobService jobs,
      ThingService things,
      CertificateService certificates,
      EventPublisher events,
      Clock clock) {
    this.jobs = jobs;
    this.things = things;
    this.certificates = certificates;
    this.events = events;
    this.clock = clock;
  }

  @Override
  public void accept(HubEvent event) {
    if (event.type().equals("job.execution.updated")
        && "SUCCEEDED".equals(event.details().get("status"))) {
      long reportedAt = event.at().getEpochSecond();
      worker.execute(
          () -> {
            if (jobs.find(event.subject()).filter(FactoryResetCompletion::isReset).isPresent()) {
              complete(event.actor(), event.subject(), reportedAt);
            }
          });
    }
  }

  /** Queues the completion of every SUCCEEDED factory reset whose thing still has certificates. */
  public void catchUp() {
    worker.execute(
        () -> {
          try {
            for (Job job : jobs.list()) {
              if (!isReset(job)) {
                continue;
              }
              for (JobExecution e : jobs.describe(job.jobId()).executions()) {
                if (e.status() == ExecutionStatus.SUCCEEDED) {
                  complete(e.thingName(), job.jobId(), e.lastUpdatedAt());
                }
              }
            }
          } catch (RuntimeException e) {
            log.error("factory resets not checked at start reason={}", e.toString(), e);
          }
        });
  }

  private static boolean isReset(Job job) {
    return RemoteOperation.of(job.document())
        .filter(o -> o == RemoteOperation.FACTORY_RESET)
        .isPresent();
  }

  private void complete(String thing, String jobId, long reportedAt) {
    try {
      List<String> ids;
      try {
        ids =
            things.certificatesOf(thing).stream()
                .filter(id -> certificates.get(id).createdAt().getEpochSecond() <= reportedAt)
                .toList();
      } catch (io.mamori.hub.registry.RegistryException gone) {
        return; // the thing was deleted: its certificates are attached to nothing any more
      }
      if (ids.isEmpty()) {
        return; // done already, or nothing it held before the reset is left
      }
      String actor = "job:" + jobId;
      for (String id : ids) {
        certificates.revoke(
            id, RevocationReason.CESSATION_OF_OPERATION, actor, "factory reset of " + thing);
        certificates.detachThing(id, thing, actor);
      }
      events.publish(
          new HubEvent(
              "device.factory-reset",
              clock.instant(),
              actor,
              thing,
              HubEvent.SUCCESS,
              "",
              Map.of("jobId", jobId, "certificates", String.join(",", ids))));
      log.info("factory reset completed thing={} jobId={} certificates={}", thing, jobId, ids);
    } catch (RuntimeException e) {
      // Fail loud: a reset device whose certificate stays active must be seen by an operator.
      events.publish(
          new HubEvent(
              "device.factory-reset",
              clock.instant(),
              "job:" + jobId,
              thing,
              HubEvent.FAILURE,
              e.getMessage() == null ? e.toString() : e.getMessage(),
              Map.of("jobId", jobId)));
      log.error("factory reset not completed thing={} jobId={} reason={}", thing, jobId, e, e);
    }
  }

  @Override
  public void close() {
    worker.shutdown();
    try {
      worker.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
