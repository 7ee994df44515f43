package io.mamori.hub.store;

import io.mamori.hub.defender.Suppression;
import io.mamori.hub.defender.SuppressionRepository;
import java.time.Instant;
import java.util.List;

/** Suppressed audit findings in SQLite ({@code defender_suppressions}). */
public final class SqliteSuppressionRepository implements SuppressionRepository {
  private final SqliteDatabase db;

  public SqliteSuppressionRepository(SqliteDatabase db) {
    this.db = db;
  }

  @Override
  public void put(Suppression s) {
    db.inTransaction(
        () -> {
          db.update(
              "DELETE FROM defender_suppressions WHERE check_name = ? AND resource_id = ?",
              s.check(),
              s.resourceId());
          db.update(
              "INSERT INTO defender_suppressions (check_name, resource_id, note, created_at)"
                  + " VALUES (?, ?, ?, ?)",
              s.check(),
              s.resourceId(),
              s.note(),
              s.createdAt());
          return null;
        });
  }

  @Override
  public boolean delete(String check, String resourceId) {
    return db.update(
            "DELETE FROM defender_suppressions WHERE check_name = ? AND resource_id = ?",
            check,
            resourceId)
        > 0;
  }

  @Override
  public List<Suppression> list() {
    return db.query(
        "SELECT check_name, resource_id, note, created_at FROM defender_suppressions"
            + " ORDER BY check_name, resource_id",
        row ->
            new Suppression(
                row.getString("check_name"),
                row.getString("resource_id"),
                row.getString("note"),
                Instant.ofEpochMilli(row.getLong("created_at"))));
  }
}
