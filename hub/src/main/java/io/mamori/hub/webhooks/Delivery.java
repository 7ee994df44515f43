package io.mamori.hub.webhooks;

import java.time.Instant;
import java.util.Optional;

/**
 * One event on its way to one webhook, kept in the outbox until delivered or dead-lettered.
 *
 * @param id sent as {@code X-Mamori-Delivery}, the same on every attempt
 * @param webhookId the receiver
 * @param eventType the event's type
 * @param body the exact JSON bytes (as UTF-8 text) that are signed and sent
 * @param status pending, delivered or dead
 * @param attempts how many attempts were made
 * @param nextAttemptAt when a pending delivery is due
 * @param lastError why the last attempt failed, or empty
 * @param createdAt when the event was queued
 * @param finishedAt when it was delivered or dead-lettered
 */
public record Delivery(
    String id,
    String webhookId,
    String eventType,
    String body,
    DeliveryStatus status,
    int attempts,
    Instant nextAttemptAt,
    String lastError,
    Instant createdAt,
    Optional<Instant> finishedAt) {

  public static Delivery pending(
      String id, String webhookId, String eventType, String body, Instant now) {
    return new Delivery(
        id, webhookId, eventType, body, DeliveryStatus.PENDING, 0, now, "", now, Optional.empty());
  }
}
