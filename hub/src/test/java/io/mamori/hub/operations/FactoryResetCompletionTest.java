package io.mamori.hub.operations;

import static org.assertj.core.api.Assertions.assertThat;

import io.mamori.hub.events.HubEvent;
import io.mamori.hub.groups.FleetMembership;
import io.mamori.hub.groups.ShadowValues;
import io.mamori.hub.jobs.ExecutionStatus;
import io.mamori.hub.jobs.JobService;
import io.mamori.hub.jobs.JobTargets;
import io.mamori.hub.jobs.Jobs;
import io.mamori.hub.jobs.TargetSelection;
import io.mamori.hub.jobs.UpdateRequest;
import io.mamori.hub.pki.CertificateAuthority;
import io.mamori.hub.pki.CertificateAuthorityFiles;
import io.mamori.hub.registry.CertificateService;
import io.mamori.hub.registry.CertificateStatus;
import io.mamori.hub.registry.IssueRequest;
import io.mamori.hub.registry.RegistryListener;
import io.mamori.hub.registry.ThingService;
import io.mamori.hub.store.SqliteCertificateRepository;
import io.mamori.hub.store.SqliteDatabase;
import io.mamori.hub.store.SqlitePolicyRepository;
import io.mamori.hub.store.SqliteThingGroupRepository;
import io.mamori.hub.store.SqliteThingRepository;
import io.mamori.hub.store.SqliteThingTypeRepository;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A factory reset reported while the hub could not finish it (stopped between the report and the
 * revocation) is finished at the next start, and only for certificates that existed before the
 * reset: a device provisioned under the same thing name later keeps its certificate.
 */
class FactoryResetCompletionTest {
  @TempDir Path dir;
  private final List<HubEvent> events = new CopyOnWriteArrayList<>();
  private final Clock clock = Clock.systemUTC();
  private SqliteDatabase db;
  private ThingService things;
  private CertificateService certificates;
  private CertificateService certificatesLater;
  private JobService jobs;
  private Jobs jobsFeature;

  @BeforeEach
  void open() {
    CertificateAuthority authority =
        new CertificateAuthorityFiles(dir.resolve("pki"), clock).loadOrCreate(List.of());
    db = SqliteDatabase.open(dir.resolve("mamori.db"));
    var thingRepository = new SqliteThingRepository(db);
    var certificateRepository = new SqliteCertificateRepository(db);
    var policies = new SqlitePolicyRepository(db);
    RegistryListener listener = new RegistryListener() {};
    things =
        new ThingService(
            thingRepository,
            certificateRepository,
            db,
            events::add,
            listener,
            clock,
            new io.mamori.hub.groups.ThingTypeService(
                new SqliteThingTypeRepository(db), db, events::add, clock));
    certificates =
        new CertificateService(
            certificateRepository,
            thingRepository,
            policies,
            authority,
            365,
            db,
            events::add,
            listener,
            clock);
    // Issues as if an hour had passed: a device provisioned after the reset.
    certificatesLater =
        new CertificateService(
            certificateRepository,
            thingRepository,
            policies,
            authority,
            365,
            db,
            events::add,
            listener,
            Clock.offset(clock, Duration.ofHours(1)));
    jobsFeature = new Jobs(db, thingRepository, certificateRepository, events::add, clock);
    jobs =
        jobsFeature.start(
            new FleetMembership(
                new SqliteThingGroupRepository(db), thingRepository, ShadowValues.NONE),
            (topic, payload) -> {});
  }

  @AfterEach
  void close() {
    jobsFeature.close();
    db.close();
  }

  @Test
  void aResetReportedBeforeAStopIsFinishedAtStartForTheOldCertificatesOnly() {
    things.create("cam", Map.of(), Optional.empty(), "test");
    String old = issue(certificates);
    jobs.create(
        "wipe",
        "",
        RemoteOperation.FACTORY_RESET.document(Map.of()),
        new JobTargets(Set.of("cam"), Set.of()),
        TargetSelection.SNAPSHOT,
        List.of(),
        Optional.empty(),
        "test");
    jobs.startNext("cam", Optional.empty());
    jobs.update(
        "cam",
        "wipe",
        new UpdateRequest(
            ExecutionStatus.SUCCEEDED,
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            false,
            false,
            Optional.empty()));
    // Nobody listened: the hub stopped before it could revoke. Later the thing is re-provisioned.
    String later = issue(certificatesLater);
    assertThat(things.certificatesOf("cam")).containsExactlyInAnyOrder(old, later);

    try (var completion =
        new FactoryResetCompletion(jobs, things, certificates, events::add, clock)) {
      completion.catchUp();
    } // close waits for the queued work

    assertThat(certificates.get(old).status()).isEqualTo(CertificateStatus.REVOKED);
    assertThat(certificates.get(later).status()).isEqualTo(CertificateStatus.ACTIVE);
    assertThat(things.certificatesOf("cam")).containsExactly(later);
    assertThat(events)
        .anyMatch(
            e ->
                e.type().equals("device.factory-reset")
                    && e.outcome().equals(HubEvent.SUCCESS)
                    && e.details().get("certificates").equals(old));

    // Running again changes nothing: the reset is complete.
    int before = events.size();
    try (var again = new FactoryResetCompletion(jobs, things, certificates, events::add, clock)) {
      again.catchUp();
    }
    assertThat(events).hasSize(before);
  }

  private String issue(CertificateService service) {
    return service
        .issue(
            new IssueRequest("cam", Optional.empty(), Optional.empty(), Optional.empty()), "test")
        .certificate()
        .id();
  }
}
