package io.mamori.hub.api;

import io.mamori.hub.events.EventPublisher;
import io.mamori.hub.pki.CertificateAuthority;
import io.mamori.hub.registry.BatchIssuance;
import io.mamori.hub.registry.CertificateService;
import io.mamori.hub.registry.PolicyService;
import io.mamori.hub.registry.RegistryListener;
import io.mamori.hub.registry.ThingService;
import io.mamori.hub.store.SqliteCertificateBatchRepository;
import io.mamori.hub.store.SqliteCertificateRepository;
import io.mamori.hub.store.SqliteDatabase;
import io.mamori.hub.store.SqlitePolicyRepository;
import io.mamori.hub.store.SqliteThingRepository;
import java.nio.file.Path;
import java.time.Clock;

/** The real registry services over a SQLite file in the data directory, as the hub wires them. */
final class TestRegistry {
  record Services(
      SqliteDatabase database,
      ThingService things,
      CertificateService certificates,
      PolicyService policies,
      io.mamori.hub.groups.ThingTypeService thingTypes,
      BatchIssuance batches) {}

  private TestRegistry() {}

  static Services open(Path dataDir, CertificateAuthority authority, EventPublisher events) {
    SqliteDatabase db = SqliteDatabase.open(dataDir.resolve("mamori.db"));
    var things = new SqliteThingRepository(db);
    var certificates = new SqliteCertificateRepository(db);
    var policies = new SqlitePolicyRepository(db);
    Clock clock = Clock.systemUTC();
    RegistryListener listener = new RegistryListener() {};
    var thingTypes =
        new io.mamori.hub.groups.ThingTypeService(
            new io.mamori.hub.store.SqliteThingTypeRepository(db), db, events, clock);
    return new Services(
        db,
        new ThingService(things, certificates, db, events, listener, clock, thingTypes),
        new CertificateService(
            certificates, things, policies, authority, 365, db, events, listener, clock),
        new PolicyService(policies, certificates, db, events, listener, clock),
        thingTypes,
        new BatchIssuance(
            certificates,
            things,
            policies,
            new SqliteCertificateBatchRepository(db),
            authority,
            365,
            db,
            events,
            listener,
            clock));
  }
}
