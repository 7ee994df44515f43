package io.mamori.hub.store;

import io.mamori.hub.firmware.Firmware;
import io.mamori.hub.firmware.FirmwareRepository;
import java.util.List;
import java.util.Optional;

/** Firmware records in SQLite ({@code firmware}). */
public final class SqliteFirmwareRepository implements FirmwareRepository {
  private static final String COLUMNS =
      "firmware_id, version, size_bytes, sha256, signature, created_at";
  private final SqliteDatabase db;

  public SqliteFirmwareRepository(SqliteDatabase db) {
    this.db = db;
  }

  @Override
  public void insert(Firmware f) {
    db.update(
        "INSERT INTO firmware (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?)",
        f.firmwareId(),
        f.version(),
        f.sizeBytes(),
        f.sha256(),
        f.signature(),
        f.createdAt());
  }

  @Override
  public Optional<Firmware> find(String firmwareId) {
    return db.queryOne(
        "SELECT " + COLUMNS + " FROM firmware WHERE firmware_id = ?", this::row, firmwareId);
  }

  @Override
  public Optional<Firmware> findByVersion(String version) {
    return db.queryOne(
        "SELECT " + COLUMNS + " FROM firmware WHERE version = ?", this::row, version);
  }

  @Override
  public List<Firmware> list() {
    return db.query(
        "SELECT " + COLUMNS + " FROM firmware ORDER BY created_at DESC, version", this::row);
  }

  private Firmware row(java.sql.ResultSet row) throws java.sql.SQLException {
    return new Firmware(
        row.getString("firmware_id"),
        row.getString("version"),
        row.getLong("size_bytes"),
        row.getString("sha256"),
        row.getBytes("signature"),
        row.getLong("created_at"));
  }
}
