package io.mamori.hub.store;

import io.mamori.hub.genuine.GenuineIdentity;
import io.mamori.hub.genuine.GenuineIdentityRepository;
import io.mamori.hub.genuine.IdentityKind;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The genuine device identity list in SQLite ({@code genuine_identities}). */
public final class SqliteGenuineIdentityRepository implements GenuineIdentityRepository {
  private static final String SELECT =
      "SELECT kind, value, status, thing_name, certificate_id, imported_at, used_at, revoked_at"
          + " FROM genuine_identities";

  private final SqliteDatabase db;

  public SqliteGenuineIdentityRepository(SqliteDatabase db) {
    this.db = db;
  }

  @Override
  public boolean insertIfAbsent(IdentityKind kind, String value, Instant at) {
    return db.update(
            "INSERT INTO genuine_identities (kind, value, status, imported_at)"
                + " VALUES (?, ?, 'AVAILABLE', ?) ON CONFLICT (kind, value) DO NOTHING",
            kind,
            value,
            at)
        > 0;
  }

  @Override
  public Optional<GenuineIdentity> find(IdentityKind kind, String value) {
    return db.queryOne(
        SELECT + " WHERE kind = ? AND value = ?",
        SqliteGenuineIdentityRepository::row,
        kind,
        value);
  }

  @Override
  public List<GenuineIdentity> list(
      Optional<IdentityKind> kind,
      Optional<GenuineIdentity.Status> status,
      String afterValue,
      int limit) {
    StringBuilder sql = new StringBuilder(SELECT + " WHERE value > ?");
    List<Object> params = new ArrayList<>(List.of(afterValue));
    kind.ifPresent(
        k -> {
          sql.append(" AND kind = ?");
          params.add(k);
        });
    status.ifPresent(
        s -> {
          sql.append(" AND status = ?");
          params.add(s);
        });
    sql.append(" ORDER BY value, kind LIMIT ?");
    params.add(limit);
    return db.query(sql.toString(), SqliteGenuineIdentityRepository::row, params.toArray());
  }

  @Override
  public boolean markUsed(
      IdentityKind kind, String value, String thingName, String certificateId, Instant at) {
    // Conditional on AVAILABLE inside the caller's transaction: of two devices presenting one
    // identity, exactly one changes the row.
    return db.update(
            "UPDATE genuine_identities SET status = 'USED', thing_name = ?, certificate_id = ?,"
                + " used_at = ? WHERE kind = ? AND value = ? AND status = 'AVAILABLE'",
            thingName,
            certificateId,
            at,
            kind,
            value)
        > 0;
  }

  @Override
  public boolean revoke(IdentityKind kind, String value, Instant at) {
    return db.update(
            "UPDATE genuine_identities SET status = 'REVOKED', revoked_at = ?"
                + " WHERE kind = ? AND value = ?",
            at,
            kind,
            value)
        > 0;
  }

  private static GenuineIdentity row(ResultSet row) throws SQLException {
    return new GenuineIdentity(
        IdentityKind.valueOf(row.getString("kind")),
        row.getString("value"),
        GenuineIdentity.Status.valueOf(row.getString("status")),
        Optional.ofNullable(row.getString("thing_name")),
        Optional.ofNullable(row.getString("certificate_id")),
        Instant.ofEpochMilli(row.getLong("imported_at")),
        instant(row, "used_at"),
        instant(row, "revoked_at"));
  }

  private static Optional<Instant> instant(ResultSet row, String column) throws SQLException {
    long millis = row.getLong(column);
    return row.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(millis));
  }
}
