package io.mamori.hub.registry;

import io.mamori.hub.pki.CertificateAuthority;
import io.mamori.hub.pki.CertificateAuthorityFiles;
import io.mamori.hub.store.SqliteCertificateRepository;
import io.mamori.hub.store.SqliteDatabase;
import io.mamori.hub.store.SqlitePolicyRepository;
import io.mamori.hub.store.SqliteThingRepository;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The registry wired as the composition root wires it: a real SQLite file and a real CA in a
 * temporary directory, with recording events and listener.
 */
final class RegistryFixture implements AutoCloseable {
  static final String ADMIN = "admin";
  static final int DEFAULT_DAYS = 365;

  final Path dir;
  final SqliteDatabase db;
  final CertificateAuthority authority;
  final SqliteThingRepository thingRepository;
  final FaultyCertificateRepository certificateRepository;
  final SqlitePolicyRepository policyRepository;
  final RecordingEvents events = new RecordingEvents();
  final CommittedView committed;
  final RecordingListener listener;
  final ThingService things;
  final CertificateService certificates;
  final PolicyService policies;

  private RegistryFixture(Path dir) {
    this.dir = dir;
    Clock clock = Clock.systemUTC();
    db = SqliteDatabase.open(dir.resolve("mamori.db"));
    authority = new CertificateAuthorityFiles(dir.resolve("pki"), clock).loadOrCreate(List.of());
    thingRepository = new SqliteThingRepository(db);
    certificateRepository = new FaultyCertificateRepository(new SqliteCertificateRepository(db));
    policyRepository = new SqlitePolicyRepository(db);
    committed = new CommittedView(db.file());
    listener = new RecordingListener(committed);
    things = new ThingService(thingRepository, certificateRepository, db, events, listener, clock);
    certificates =
        new CertificateService(
            certificateRepository,
            thingRepository,
            policyRepository,
            authority,
            DEFAULT_DAYS,
            db,
            events,
            listener,
            clock);
    policies =
        new PolicyService(policyRepository, certificateRepository, db, events, listener, clock);
  }

  static RegistryFixture open(Path dir) {
    return new RegistryFixture(dir);
  }

  /** Closes the database and opens the same directory again, as a hub restart does. */
  RegistryFixture restart() {
    close();
    return open(dir);
  }

  Thing thing(String name) {
    return things.create(name, Map.of(), Optional.empty(), ADMIN);
  }

  /** Issues a certificate with a hub-generated key for an existing thing. */
  DeviceCertificate certificateFor(String thingName) {
    return certificates
        .issue(
            new IssueRequest(thingName, Optional.empty(), Optional.empty(), Optional.empty()),
            ADMIN)
        .certificate();
  }

  /** Forgets what was recorded so far, so a test asserts only on what its action caused. */
  void clearRecords() {
    events.published.clear();
    listener.calls.clear();
  }

  @Override
  public void close() {
    try {
      committed.close();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    db.close();
  }
}
