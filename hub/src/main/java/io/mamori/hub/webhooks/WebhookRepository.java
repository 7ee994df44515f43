package io.mamori.hub.webhooks;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Webhooks and their delivery outbox, kept across restarts. */
public interface WebhookRepository {
  void insert(Webhook webhook);

  /** Deletes the webhook and its outbox; false when there was none. */
  boolean delete(String id);

  Optional<Webhook> find(String id);

  List<Webhook> list();

  /** Queues deliveries together (one transaction), so a batch is all there or not at all. */
  void enqueue(List<Delivery> deliveries);

  /** Pending deliveries due at {@code now}, oldest first, at most {@code limit}. */
  List<Delivery> due(Instant now, int limit);

  /** When the earliest pending delivery is due, if any is pending. */
  Optional<Instant> nextDue();

  /** Saves the outcome of an attempt (status, attempts, next time, error, finish time). */
  void update(Delivery delivery);

  /** Makes every pending delivery due at {@code now} (after a restart). */
  int makePendingDue(Instant now);

  /**
   * Forgets delivered deliveries finished before {@code deliveredBefore} and dead letters before
   * {@code deadBefore}; returns how many.
   */
  int prune(Instant deliveredBefore, Instant deadBefore);

  /** Deliveries of one status (or all when empty), newest first, at most {@code limit}. */
  List<Delivery> list(Optional<DeliveryStatus> status, int limit);
}
