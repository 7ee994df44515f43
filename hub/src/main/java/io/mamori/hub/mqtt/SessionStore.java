package io.mamori.hub.mqtt;

import java.util.List;

/**
 * Durable persistent sessions and their queued QoS 1 messages. The broker is the source of truth
 * while running and writes through to this store off the event loop, in order.
 */
public interface SessionStore {
  /** All sessions with their subscriptions, to restore on start. */
  List<StoredSession> loadAll();

  /** Inserts or replaces the session row and its subscriptions. */
  void save(StoredSession session);

  /** Deletes the session and all its queued messages. */
  void delete(String clientId);

  void enqueue(String clientId, QueuedMessage message);

  /** Removes one queued message once the client acknowledged it (PUBACK). */
  void acknowledge(String clientId, long sequence);

  /** Queued messages of a session in sequence order. */
  List<QueuedMessage> queued(String clientId);

  /**
   * Runs {@code writes} (calls of this store and of the retained store) so that they commit
   * together: all or none. A store without transactions runs them as they come.
   */
  default void inOneTransaction(Runnable writes) {
    writes.run();
  }
}
