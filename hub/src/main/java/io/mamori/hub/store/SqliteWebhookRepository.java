package io.mamori.hub.store;

import io.mamori.hub.webhooks.Delivery;
import io.mamori.hub.webhooks.DeliveryStatus;
import io.mamori.hub.webhooks.Webhook;
import io.mamori.hub.webhooks.WebhookRepository;
import java.net.URI;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** Webhooks and their delivery outbox in SQLite ({@code webhooks}, {@code webhook_deliveries}). */
public final class SqliteWebhookRepository implements WebhookRepository {
  private static final String DELIVERY_COLUMNS =
      "id, webhook_id, event_type, body, status, attempts, next_attempt_at, last_error,"
          + " created_at, finished_at";

  private final SqliteDatabase db;

  public SqliteWebhookRepository(SqliteDatabase db) {
    this.db = db;
  }

  @Override
  public void insert(Webhook w) {
    db.update(
        "INSERT INTO webhooks (id, url, events, secret, created_at) VALUES (?, ?, ?, ?, ?)",
        w.id(),
        w.url().toString(),
        String.join(",", w.events()),
        w.secret(),
        w.createdAt());
  }

  @Override
  public boolean delete(String id) {
    return db.inTransaction(
        () -> {
          db.update("DELETE FROM webhook_deliveries WHERE webhook_id = ?", id);
          return db.update("DELETE FROM webhooks WHERE id = ?", id) > 0;
        });
  }

  @Override
  public Optional<Webhook> find(String id) {
    return db.queryOne(
        "SELECT id, url, events, secret, created_at FROM webhooks WHERE id = ?",
        SqliteWebhookRepository::webhook,
        id);
  }

  @Override
  public List<Webhook> list() {
    return db.query(
        "SELECT id, url, events, secret, created_at FROM webhooks ORDER BY created_at, id",
        SqliteWebhookRepository::webhook);
  }

  @Override
  public void enqueue(List<Delivery> deliveries) {
    db.inTransaction(
        () -> {
          for (Delivery d : deliveries) {
            db.update(
                "INSERT INTO webhook_deliveries ("
                    + DELIVERY_COLUMNS
                    + ")"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                d.id(),
                d.webhookId(),
                d.eventType(),
                d.body(),
                d.status(),
                d.attempts(),
                d.nextAttemptAt(),
                d.lastError(),
                d.createdAt(),
                d.finishedAt().orElse(null));
          }
          return null;
        });
  }

  @Override
  public List<Delivery> due(Instant now, int limit) {
    return db.query(
        "SELECT "
            + DELIVERY_COLUMNS
            + " FROM webhook_deliveries"
            + " WHERE status = 'PENDING' AND next_attempt_at <= ?"
            + " ORDER BY next_attempt_at, created_at LIMIT ?",
        SqliteWebhookRepository::delivery,
        now,
        limit);
  }

  @Override
  public Optional<Instant> nextDue() {
    // MIN over no rows is one NULL row: mapped to an empty Optional, never to null.
    return db.queryOne(
            "SELECT MIN(next_attempt_at) AS due FROM webhook_deliveries WHERE status = 'PENDING'",
            row -> {
              long due = row.getLong("due");
              return row.wasNull()
                  ? Optional.<Instant>empty()
                  : Optional.of(Instant.ofEpochMilli(due));
            })
        .flatMap(due -> due);
  }

  @Override
  public void update(Delivery d) {
    db.update(
        "UPDATE webhook_deliveries SET status = ?, attempts = ?, next_attempt_at = ?,"
            + " last_error = ?, finished_at = ? WHERE id = ?",
        d.status(),
        d.attempts(),
        d.nextAttemptAt(),
        d.lastError(),
        d.finishedAt().orElse(null),
        d.id());
  }

  @Override
  public int makePendingDue(Instant now) {
    // A restart is the moment to try again: the receiver may have come back meanwhile.
    return db.update(
        "UPDATE webhook_deliveries SET next_attempt_at = ? WHERE status = 'PENDING'", now);
  }

  @Override
  public int prune(Instant deliveredBefore, Instant deadBefore) {
    return db.update(
        "DELETE FROM webhook_deliveries WHERE (status = 'DELIVERED' AND finished_at < ?)"
            + " OR (status = 'DEAD' AND finished_at < ?)",
        deliveredBefore,
        deadBefore);
  }

  @Override
  public List<Delivery> list(Optional<DeliveryStatus> status, int limit) {
    if (status.isPresent()) {
      return db.query(
          "SELECT "
              + DELIVERY_COLUMNS
              + " FROM webhook_deliveries WHERE status = ?"
              + " ORDER BY created_at DESC, id LIMIT ?",
          SqliteWebhookRepository::delivery,
          status.get(),
          limit);
    }
    return db.query(
        "SELECT "
            + DELIVERY_COLUMNS
            + " FROM webhook_deliveries"
            + " ORDER BY created_at DESC, id LIMIT ?",
        SqliteWebhookRepository::delivery,
        limit);
  }

  private static Webhook webhook(ResultSet row) throws SQLException {
    return new Webhook(
        row.getString("id"),
        URI.create(row.getString("url")),
        Arrays.asList(row.getString("events").split(",")),
        row.getString("secret"),
        Instant.ofEpochMilli(row.getLong("created_at")));
  }

  private static Delivery delivery(ResultSet row) throws SQLException {
    long finished = row.getLong("finished_at");
    Optional<Instant> finishedAt =
        row.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(finished));
    return new Delivery(
        row.getString("id"),
        row.getString("webhook_id"),
        row.getString("event_type"),
        row.getString("body"),
        DeliveryStatus.valueOf(row.getString("status")),
        row.getInt("attempts"),
        Instant.ofEpochMilli(row.getLong("next_attempt_at")),
        row.getString("last_error"),
        Instant.ofEpochMilli(row.getLong("created_at")),
        finishedAt);
  }
}
