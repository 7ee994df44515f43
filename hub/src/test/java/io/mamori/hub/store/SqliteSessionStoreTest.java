package io.mamori.hub.store;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** {@link SessionStoreContract} run against SQLite files in a temporary directory. */
class SqliteSessionStoreTest extends SessionStoreContract {
  @TempDir Path dir;

  @Override
  protected StoreBackend openEmptyStore() {
    return SqliteBackend.open(dir.resolve("mamori.db"));
  }
}
