package io.mamori.hub.store;

import io.mamori.hub.identity.OwnershipTokenRepository;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Certificate ownership token hashes in SQLite. */
public final class SqliteOwnershipTokenRepository implements OwnershipTokenRepository {
  private static final String SELECT =
      "SELECT token_hash, certificate_id, created_at, expires_at FROM certificate_ownership_tokens";

  private final SqliteDatabase db;

  public SqliteOwnershipTokenRepository(SqliteDatabase db) {
    this.db = db;
  }

  @Override
  public void insert(StoredToken token) {
    db.update(
        "INSERT INTO certificate_ownership_tokens"
            + " (token_hash, certificate_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
        token.tokenHash(),
        token.certificateId(),
        token.createdAt(),
        token.expiresAt());
  }

  @Override
  public Optional<StoredToken> take(String tokenHash) {
    return db.inTransaction(
        () -> {
          Optional<StoredToken> found =
              db.queryOne(
                  SELECT + " WHERE token_hash = ?",
                  SqliteOwnershipTokenRepository::token,
                  tokenHash);
          found.ifPresent(
              t ->
                  db.update(
                      "DELETE FROM certificate_ownership_tokens WHERE token_hash = ?", tokenHash));
          return found;
        });
  }

  @Override
  public Optional<StoredToken> find(String tokenHash) {
    return db.queryOne(
        SELECT + " WHERE token_hash = ?", SqliteOwnershipTokenRepository::token, tokenHash);
  }

  @Override
  public List<StoredToken> expired(Instant now, int limit) {
    return db.query(
        SELECT + " WHERE expires_at <= ?" + " ORDER BY expires_at LIMIT ?",
        SqliteOwnershipTokenRepository::token,
        now,
        limit);
  }

  @Override
  public int deleteExpired(Instant now) {
    return db.update("DELETE FROM certificate_ownership_tokens WHERE expires_at <= ?", now);
  }

  private static StoredToken token(ResultSet row) throws SQLException {
    return new StoredToken(
        row.getString(1),
        row.getString(2),
        Instant.ofEpochMilli(row.getLong(3)),
        Instant.ofEpochMilli(row.getLong(4)));
  }
}
