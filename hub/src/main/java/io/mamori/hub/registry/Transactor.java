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

  /**
   * Runs {@code action} once the transaction open on this thread has committed, and not at all if
   * it rolls back; with no transaction open, runs it at once. This is how a change is announced
   * only after it is durable, even when its service was called inside a larger transaction. The
   * default suits an implementation whose every write commits at once.
   */
  default void afterCommit(Runnable action) {
    action.run();
  }
}
