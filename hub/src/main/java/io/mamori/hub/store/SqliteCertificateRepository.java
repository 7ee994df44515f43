package io.mamori.hub.store;

import io.mamori.hub.registry.CertificateRepository;
import io.mamori.hub.registry.CertificateStatus;
import io.mamori.hub.registry.DeviceCertificate;
import io.mamori.hub.registry.RegistryException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Device certificates and their attachments to things, in SQLite. */
public final class SqliteCertificateRepository implements CertificateRepository {
  private static final String COLUMNS =
      "id, pem, status, subject, issuer, serial_number, not_before, not_after, ca_certificate_id,"
          + " created_at, updated_at";

  private final SqliteDatabase db;

  public SqliteCertificateRepository(SqliteDatabase db) {
    this.db = db;
  }

  @Override
  public void insert(DeviceCertificate c) {
    try {
      db.update(
          "INSERT INTO certificates (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
          c.id(),
          c.pem(),
          c.status(),
          c.subject(),
          c.issuer(),
          c.serialNumber(),
          c.notBefore(),
          c.notAfter(),
          c.caCertificateId(),
          c.createdAt(),
          c.updatedAt());
    } catch (StoreException e) {
      if (e.kind() == StoreException.Kind.DUPLICATE_KEY) {
        throw new RegistryException(
            RegistryException.Kind.CONFLICT, "certificate " + c.id() + " already exists", e);
      }
      throw e;
    }
  }

  /** Updates the mutable fields: status and updatedAt (the rest is the certificate itself). */
  @Override
  public void update(DeviceCertificate c) {
    int changed =
        db.update(
            "UPDATE certificates SET status = ?, updated_at = ? WHERE id = ?",
            c.status(),
            c.updatedAt(),
            c.id());
    if (changed == 0) {
      throw RegistryException.notFound("certificate " + c.id());
    }
  }

  @Override
  public Optional<DeviceCertificate> find(String id) {
    return db.queryOne(
        "SELECT " + COLUMNS + " FROM certificates WHERE id = ?", this::certificate, id);
  }

  @Override
  public List<DeviceCertificate> list() {
    return db.query(
        "SELECT " + COLUMNS + " FROM certificates ORDER BY created_at, id", this::certificate);
  }

  /** Attaching twice is not an error (AWS AttachThingPrincipal is idempotent too). */
  @Override
  public void attachThing(String certificateId, String thingName) {
    try {
      db.update(
          "INSERT INTO certificate_things (certificate_id, thing_name) VALUES (?, ?)"
              + " ON CONFLICT (certificate_id, thing_name) DO NOTHING",
          certificateId,
          thingName);
    } catch (StoreException e) {
      if (e.kind() == StoreException.Kind.FOREIGN_KEY) {
        throw new RegistryException(
            RegistryException.Kind.NOT_FOUND,
            "certificate " + certificateId + " or thing " + thingName + " not found",
            e);
      }
      throw e;
    }
  }

  @Override
  public boolean detachThing(String certificateId, String thingName) {
    return db.update(
            "DELETE FROM certificate_things WHERE certificate_id = ? AND thing_name = ?",
            certificateId,
            thingName)
        > 0;
  }

  @Override
  public List<String> thingsOf(String certificateId) {
    return db.query(
        "SELECT thing_name FROM certificate_things WHERE certificate_id = ? ORDER BY thing_name",
        row -> row.getString(1),
        certificateId);
  }

  @Override
  public List<String> certificatesOf(String thingName) {
    return db.query(
        "SELECT certificate_id FROM certificate_things WHERE thing_name = ?"
            + " ORDER BY certificate_id",
        row -> row.getString(1),
        thingName);
  }

  private DeviceCertificate certificate(ResultSet row) throws SQLException {
    return new DeviceCertificate(
        row.getString("id"),
        row.getString("pem"),
        CertificateStatus.valueOf(row.getString("status")),
        row.getString("subject"),
        row.getString("issuer"),
        row.getString("serial_number"),
        Instant.ofEpochMilli(row.getLong("not_before")),
        Instant.ofEpochMilli(row.getLong("not_after")),
        row.getString("ca_certificate_id"),
        Instant.ofEpochMilli(row.getLong("created_at")),
        Instant.ofEpochMilli(row.getLong("updated_at")));
  }
}
