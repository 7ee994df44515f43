package io.mamori.hub.store;

import io.mamori.hub.provisioning.BulkRegistrationRepository;
import java.time.Instant;
import java.util.Optional;

/** Applied bulk registration lines in SQLite ({@code bulk_registrations}). */
public final class SqliteBulkRegistrationRepository implements BulkRegistrationRepository {
  private final SqliteDatabase db;

  public SqliteBulkRegistrationRepository(SqliteDatabase db) {
    this.db = db;
  }

  @Override
  public Optional<Applied> find(String templateName, String lineHash) {
    return db.queryOne(
        "SELECT thing_name, certificate_id, registered_at FROM bulk_registrations"
            + " WHERE template_name = ? AND line_hash = ?",
        row ->
            new Applied(
                Optional.ofNullable(row.getString(1)),
                row.getString(2),
                Instant.ofEpochMilli(row.getLong(3))),
        templateName,
        lineHash);
  }

  @Override
  public void insert(String templateName, String lineHash, Applied applied) {
    db.update(
        "INSERT INTO bulk_registrations"
            + " (template_name, line_hash, thing_name, certificate_id, registered_at)"
            + " VALUES (?, ?, ?, ?, ?)",
        templateName,
        lineHash,
        applied.thingName().orElse(null),
        applied.certificateId(),
        applied.registeredAt());
  }
}
