package io.mamori.hub.registry;

import java.util.function.Supplier;

/**
 * Runs registry work all-or-nothing: every repository call made inside {@code work} on this thread
 * commits together or not at all.
 */
public interface Transactor {
  <T> T inTransaction(Supplier<T> work);

  default void inTransaction(Runnable work) {
    inTransaction(
        () -> {
          work.run();
          return null;
        });
  }
}
