package io.mamori.hub.store;

import io.mamori.hub.mqtt.QueuedMessage;
import io.mamori.hub.mqtt.SessionStore;
import io.mamori.hub.mqtt.StoredSession;
import io.mamori.hub.mqtt.StoredSubscription;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;

/** Persistent MQTT sessions, their subscriptions and queued QoS 1 messages, in SQLite. */
public final class SqliteSessionStore implements SessionStore {
  private final SqliteDatabase db;

  public SqliteSessionStore(SqliteDatabase db) {
    this.db = db;
  }

  @Override
  public List<StoredSession> loadAll() {
    return db.inTransaction(
        () -> {
          var subscriptions = new HashMap<String, List<StoredSubscription>>();
          for (var row :
              db.query(
                  "SELECT client_id, topic_filter, qos FROM mqtt_subscriptions"
                      + " ORDER BY client_id, topic_filter",
                  r -> new SubscriptionRow(r.getString(1), r.getString(2), r.getInt(3)))) {
            subscriptions
                .computeIfAbsent(row.clientId(), k -> new ArrayList<>())
                .add(new StoredSubscription(row.topicFilter(), row.qos()));
          }
          return db.query(
              "SELECT client_id, principal_id, expiry_interval_seconds, disconnected_at"
                  + " FROM mqtt_sessions ORDER BY client_id",
              row -> {
                String clientId = row.getString(1);
                long disconnectedAt = row.getLong(4);
                Optional<Instant> disconnected =
                    row.wasNull()
                        ? Optional.empty()
                        : Optional.of(Instant.ofEpochMilli(disconnectedAt));
                return new StoredSession(
                    clientId,
                    row.getString(2),
                    subscriptions.getOrDefault(clientId, List.of()),
                    row.getLong(3),
                    disconnected);
              });
        });
  }

  /** Replaces the session row and its subscriptions; its queued messages are kept. */
  @Override
  public void save(StoredSession session) {
    db.inTransaction(
        () -> {
          db.update(
              "INSERT INTO mqtt_sessions"
                  + " (client_id, principal_id, expiry_interval_seconds, disconnected_at)"
                  + " VALUES (?, ?, ?, ?)"
                  + " ON CONFLICT (client_id) DO UPDATE SET"
                  + " principal_id = excluded.principal_id,"
                  + " expiry_interval_seconds = excluded.expiry_interval_seconds,"
                  + " disconnected_at = excluded.disconnected_at",
              session.clientId(),
              session.principalId(),
              session.expiryIntervalSeconds(),
              session.disconnectedAt().orElse(null));
          db.update("DELETE FROM mqtt_subscriptions WHERE client_id = ?", session.clientId());
          for (StoredSubscription s : session.subscriptions()) {
            db.update(
                "INSERT INTO mqtt_subscriptions (client_id, topic_filter, qos) VALUES (?, ?, ?)"
                    + " ON CONFLICT (client_id, topic_filter) DO UPDATE SET qos = excluded.qos",
                session.clientId(),
                s.topicFilter(),
                s.qos());
          }
        });
  }

  @Override
  public void delete(String clientId) {
    db.inTransaction(
        () -> {
          db.update("DELETE FROM mqtt_queued_messages WHERE client_id = ?", clientId);
          db.update("DELETE FROM mqtt_sessions WHERE client_id = ?", clientId);
        });
  }

  @Override
  public void enqueue(String clientId, QueuedMessage m) {
    db.update(
        "INSERT INTO mqtt_queued_messages"
            + " (client_id, sequence, topic, payload, qos, retain, queued_at)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?)",
        clientId,
        m.sequence(),
        m.topic(),
        m.payload(),
        m.qos(),
        m.retain(),
        m.queuedAt());
  }

  @Override
  public void acknowledge(String clientId, long sequence) {
    db.update(
        "DELETE FROM mqtt_queued_messages WHERE client_id = ? AND sequence = ?",
        clientId,
        sequence);
  }

  /** One SQLite transaction, one fsync; the retained store shares this database and joins it. */
  @Override
  public void inOneTransaction(Runnable writes) {
    db.inTransaction(
        () -> {
          writes.run();
          return null;
        });
  }

  @Override
  public List<QueuedMessage> queued(String clientId) {
    return db.query(
        "SELECT sequence, topic, payload, qos, retain, queued_at FROM mqtt_queued_messages"
            + " WHERE client_id = ? ORDER BY sequence",
        row ->
            new QueuedMessage(
                row.getLong(1),
                row.getString(2),
                row.getBytes(3),
                row.getInt(4),
                row.getBoolean(5),
                Instant.ofEpochMilli(row.getLong(6))),
        clientId);
  }

  private record SubscriptionRow(String clientId, String topicFilter, int qos) {}
}
