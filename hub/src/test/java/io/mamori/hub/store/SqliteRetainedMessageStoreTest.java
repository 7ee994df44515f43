package io.mamori.hub.store;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** {@link RetainedMessageStoreContract} run against SQLite files in a temporary directory. */
class SqliteRetainedMessageStoreTest extends RetainedMessageStoreContract {
  @TempDir Path dir;

  @Override
  protected StoreBackend openEmptyStore() {
    return SqliteBackend.open(dir.resolve("mamori.db"));
  }
}
