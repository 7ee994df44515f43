package io.mamori.hub.store;

import io.mamori.hub.registry.ExpiryNotices;
import java.time.Instant;

/** Expiry warnings already raised, in SQLite, so a restart does not raise them again. */
public final class SqliteExpiryNotices implements ExpiryNotices {
  private final SqliteDatabase db;

  public SqliteExpiryNotices(SqliteDatabase db) {
    this.db = db;
  }

  @Override
  public boolean record(String certificateId, int windowDays, Instant notAfter, Instant at) {
    return db.update(
            "INSERT INTO certificate_expiry_notices"
                + " (certificate_id, window_days, not_after, reported_at) VALUES (?, ?, ?, ?)"
                + " ON CONFLICT (certificate_id, window_days) DO NOTHING",
            certificateId,
            windowDays,
            notAfter,
            at)
        > 0;
  }
}
