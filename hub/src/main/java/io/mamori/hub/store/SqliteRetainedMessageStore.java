package io.mamori.hub.store;

import io.mamori.hub.mqtt.RetainedMessage;
import io.mamori.hub.mqtt.RetainedMessageStore;
import java.time.Instant;
import java.util.List;

/** Retained MQTT messages in SQLite, one row per topic. */
public final class SqliteRetainedMessageStore implements RetainedMessageStore {
  private final SqliteDatabase db;

  public SqliteRetainedMessageStore(SqliteDatabase db) {
    this.db = db;
  }

  @Override
  public void put(RetainedMessage m) {
    db.update(
        "INSERT INTO mqtt_retained_messages (topic, payload, qos, stored_at) VALUES (?, ?, ?, ?)"
            + " ON CONFLICT (topic) DO UPDATE SET"
            + " payload = excluded.payload, qos = excluded.qos, stored_at = excluded.stored_at",
        m.topic(),
        m.payload(),
        m.qos(),
        m.storedAt());
  }

  @Override
  public void remove(String topic) {
    db.update("DELETE FROM mqtt_retained_messages WHERE topic = ?", topic);
  }

  @Override
  public List<RetainedMessage> loadAll() {
    return db.query(
        "SELECT topic, payload, qos, stored_at FROM mqtt_retained_messages ORDER BY topic",
        row ->
            new RetainedMessage(
                row.getString(1),
                row.getBytes(2),
                row.getInt(3),
                Instant.ofEpochMilli(row.getLong(4))));
  }
}
