package io.mamori.hub.store;

import io.mamori.hub.mqtt.RetainedMessageStore;
import io.mamori.hub.mqtt.SessionStore;
import io.mamori.hub.registry.CertificateRepository;
import io.mamori.hub.registry.PolicyRepository;
import io.mamori.hub.registry.ThingRepository;
import io.mamori.hub.registry.Transactor;
import java.nio.file.Path;

/** The SQLite store on a file, wired the way the composition root wires it. */
final class SqliteBackend implements StoreBackend {
  private final Path file;
  private final SqliteDatabase db;

  private SqliteBackend(Path file) {
    this.file = file;
    this.db = SqliteDatabase.open(file);
  }

  static SqliteBackend open(Path file) {
    return new SqliteBackend(file);
  }

  @Override
  public Transactor transactor() {
    return db;
  }

  @Override
  public ThingRepository things() {
    return new SqliteThingRepository(db);
  }

  @Override
  public CertificateRepository certificates() {
    return new SqliteCertificateRepository(db);
  }

  @Override
  public PolicyRepository policies() {
    return new SqlitePolicyRepository(db);
  }

  @Override
  public SessionStore sessions() {
    return new SqliteSessionStore(db);
  }

  @Override
  public RetainedMessageStore retained() {
    return new SqliteRetainedMessageStore(db);
  }

  @Override
  public StoreBackend reopen() {
    db.close();
    return new SqliteBackend(file);
  }

  @Override
  public void close() {
    db.close();
  }
}
