package io.mamori.hub.webhooks;

/** Where a delivery stands: waiting (first try or a retry), done, or given up (dead letter). */
public enum DeliveryStatus {
  PENDING,
  DELIVERED,
  DEAD
}
