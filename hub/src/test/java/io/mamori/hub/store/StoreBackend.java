package io.mamori.hub.store;

import io.mamori.hub.mqtt.RetainedMessageStore;
import io.mamori.hub.mqtt.SessionStore;
import io.mamori.hub.registry.CertificateRepository;
import io.mamori.hub.registry.PolicyRepository;
import io.mamori.hub.registry.ThingRepository;
import io.mamori.hub.registry.Transactor;

/**
 * One open database of a store implementation under test, with every repository built on it. The
 * contract suites run against this, so SQLite and PostgreSQL pass the same tests.
 */
interface StoreBackend extends AutoCloseable {
  Transactor transactor();

  ThingRepository things();

  CertificateRepository certificates();

  PolicyRepository policies();

  SessionStore sessions();

  RetainedMessageStore retained();

  /** Closes this database and opens the same data again, as a hub restart does. */
  StoreBackend reopen();

  @Override
  void close();
}
