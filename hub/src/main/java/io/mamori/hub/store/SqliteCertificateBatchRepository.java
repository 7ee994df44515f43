package io.mamori.hub.store;

import io.mamori.hub.registry.CertificateBatchRepository;
import java.util.Optional;

/** Bulk issuance batches in SQLite (table {@code certificate_batch_keys}). */
public final class SqliteCertificateBatchRepository implements CertificateBatchRepository {
  private final SqliteDatabase db;

  public SqliteCertificateBatchRepository(SqliteDatabase db) {
    this.db = db;
  }

  @Override
  public Optional<String> find(String batchId, String publicKeySha256) {
    return db.queryOne(
        "SELECT certificate_id FROM certificate_batch_keys"
            + " WHERE batch_id = ? AND public_key_sha256 = ?",
        row -> row.getString(1),
        batchId,
        publicKeySha256);
  }

  @Override
  public void record(String batchId, String publicKeySha256, String certificateId) {
    db.update(
        "INSERT INTO certificate_batch_keys (batch_id, public_key_sha256, certificate_id)"
            + " VALUES (?, ?, ?)",
        batchId,
        publicKeySha256,
        certificateId);
  }
}
