package io.mamori.hub.store;

import io.mamori.hub.revocation.CrlNumbers;
import java.math.BigInteger;

/** CRL numbers in the {@code crl_numbers} table, one row per CA. */
public final class SqliteCrlNumbers implements CrlNumbers {
  private final SqliteDatabase db;

  public SqliteCrlNumbers(SqliteDatabase db) {
    this.db = db;
  }

  /** Read and increment in one transaction: two regenerations never share a number. */
  @Override
  public BigInteger next(String caCertificateId) {
    return db.inTransaction(
        () -> {
          long last =
              db.queryOne(
                      "SELECT last_number FROM crl_numbers WHERE ca_certificate_id = ?",
                      row -> row.getLong(1),
                      caCertificateId)
                  .orElse(0L);
          long next = last + 1;
          db.update(
              "INSERT INTO crl_numbers (ca_certificate_id, last_number) VALUES (?, ?)"
                  + " ON CONFLICT (ca_certificate_id) DO UPDATE SET last_number = excluded.last_number",
              caCertificateId,
              next);
          return BigInteger.valueOf(next);
        });
  }
}
