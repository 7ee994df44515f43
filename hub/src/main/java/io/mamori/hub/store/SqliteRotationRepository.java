package io.mamori.hub.store;

import io.mamori.hub.identity.Rotation;
import io.mamori.hub.identity.RotationRepository;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Certificate rotations in SQLite, kept after completion as a record of what happened. */
public final class SqliteRotationRepository implements RotationRepository {
  private static final String COLUMNS =
      "new_certificate_id, old_certificate_id, requested_at, deadline_at";

  private final SqliteDatabase db;

  public SqliteRotationRepository(SqliteDatabase db) {
    this.db = db;
  }

  @Override
  public void insert(Rotation r) {
    db.update(
        "INSERT INTO certificate_rotations (" + COLUMNS + ") VALUES (?, ?, ?, ?)",
        r.newCertificateId(),
        r.oldCertificateId(),
        r.requestedAt(),
        r.deadline());
  }

  @Override
  public Optional<Rotation> findPending(String newCertificateId) {
    return db.queryOne(
        "SELECT "
            + COLUMNS
            + " FROM certificate_rotations WHERE new_certificate_id = ? AND completed_at IS NULL",
        SqliteRotationRepository::rotation,
        newCertificateId);
  }

  @Override
  public List<Rotation> pending() {
    return db.query(
        "SELECT "
            + COLUMNS
            + " FROM certificate_rotations WHERE completed_at IS NULL"
            + " ORDER BY requested_at, new_certificate_id",
        SqliteRotationRepository::rotation);
  }

  @Override
  public List<Rotation> pendingFrom(String oldCertificateId) {
    return db.query(
        "SELECT "
            + COLUMNS
            + " FROM certificate_rotations WHERE old_certificate_id = ? AND completed_at IS NULL"
            + " ORDER BY requested_at, new_certificate_id",
        SqliteRotationRepository::rotation,
        oldCertificateId);
  }

  @Override
  public boolean complete(String newCertificateId, Instant at, String outcome) {
    return db.update(
            "UPDATE certificate_rotations SET completed_at = ?, outcome = ?"
                + " WHERE new_certificate_id = ? AND completed_at IS NULL",
            at,
            outcome,
            newCertificateId)
        > 0;
  }

  private static Rotation rotation(ResultSet row) throws SQLException {
    return new Rotation(
        row.getString(1),
        row.getString(2),
        Instant.ofEpochMilli(row.getLong(3)),
        Instant.ofEpochMilli(row.getLong(4)));
  }
}
