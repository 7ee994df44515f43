package io.mamori.hub.store;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mamori.hub.registry.RegistryException;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Base of the contract suites: each test gets a new, empty database from the implementation under
 * test (SQLite now, PostgreSQL later) and may replace it with {@link StoreBackend#reopen()}.
 */
abstract class StoreContract {
  protected StoreBackend store;

  /** A new, empty database of the implementation under test. */
  protected abstract StoreBackend openEmptyStore();

  @BeforeEach
  void openStore() {
    store = openEmptyStore();
  }

  @AfterEach
  void closeStore() {
    store.close();
  }

  static void assertRefused(ThrowingCallable call, RegistryException.Kind kind) {
    assertThatThrownBy(call)
        .isInstanceOf(RegistryException.class)
        .extracting(e -> ((RegistryException) e).kind())
        .isEqualTo(kind);
  }
}
