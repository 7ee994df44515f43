package io.mamori.hub.store;

import io.mamori.hub.pki.RevocationReason;
import io.mamori.hub.registry.CertificateRepository;
import io.mamori.hub.registry.CertificateStatus;
import io.mamori.hub.registry.DeviceCertificate;
import io.mamori.hub.registry.RegistryException;
import io.mamori.hub.registry.Revocation;
import io.mamori.hub.registry.RevokedSerial;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Device certificates and their attachments to things, in SQLite. */
public final class SqliteCertificateRepository implements CertificateRepository {
  private static final String COLUMNS =
      "id, pem, status, subject, issuer, serial_number, not_before, not_after, ca_certificate_id,"
          + " created_at, updated_at, revoked_at, revocation_reason";

  private final SqliteDatabase db;
  private final LinkTable things;

  public SqliteCertificateRepository(SqliteDatabase db) {
    this.db = db;
    this.things = new LinkTable(db, "certificate_things", "certificate_id", "thing_name");
  }

  @Override
  public void insert(DeviceCertificate c) {
    try {
      db.update(
          "INSERT INTO certificates ("
              + COLUMNS
              + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
          c.updatedAt(),
          c.revocation().map(Revocation::revokedAt).orElse(null),
          c.revocation().map(r -> r.reason().code()).orElse(null));
    } catch (StoreException e) {
      if (e.kind() == StoreException.Kind.DUPLICATE_KEY) {
        throw new RegistryException(
            RegistryException.Kind.CONFLICT, "certificate " + c.id() + " already exists", e);
      }
      throw e;
    }
  }

  /**
   * Updates the mutable fields: status, updatedAt and the revocation (the rest is the certificate
   * itself).
   */
  @Override
  public boolean delete(String id) {
    // Thing, policy, token, rotation and batch rows go with it (ON DELETE CASCADE).
    return db.update("DELETE FROM certificates WHERE id = ?", id) > 0;
  }

  @Override
  public void update(DeviceCertificate c) {
    int changed =
        db.update(
            "UPDATE certificates SET status = ?, updated_at = ?, revoked_at = ?,"
                + " revocation_reason = ? WHERE id = ?",
            c.status(),
            c.updatedAt(),
            c.revocation().map(Revocation::revokedAt).orElse(null),
            c.revocation().map(r -> r.reason().code()).orElse(null),
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

  @Override
  public List<DeviceCertificate> expiringBefore(Instant before) {
    return db.query(
        "SELECT "
            + COLUMNS
            + " FROM certificates WHERE not_after < ? AND status <> 'REVOKED'"
            + " ORDER BY not_after, id",
        this::certificate,
        before);
  }

  /** Attaching twice is not an error (AWS AttachThingPrincipal is idempotent too). */
  @Override
  public void attachThing(String certificateId, String thingName) {
    things.link(
        certificateId,
        thingName,
        e ->
            new RegistryException(
                RegistryException.Kind.NOT_FOUND,
                "certificate " + certificateId + " or thing " + thingName + " not found",
                e));
  }

  @Override
  public boolean detachThing(String certificateId, String thingName) {
    return things.unlink(certificateId, thingName);
  }

  @Override
  public List<String> thingsOf(String certificateId) {
    return things.rightsOf(certificateId);
  }

  @Override
  public List<String> certificatesOf(String thingName) {
    return things.leftsOf(thingName);
  }

  @Override
  public Optional<DeviceCertificate> findBySerial(String caCertificateId, String serialNumber) {
    return db.queryOne(
        "SELECT "
            + COLUMNS
            + " FROM certificates WHERE ca_certificate_id = ? AND serial_number = ?",
        this::certificate,
        caCertificateId,
        serialNumber);
  }

  @Override
  public List<RevokedSerial> revokedBy(String caCertificateId) {
    return db.query(
        // A row set REVOKED without details (withStatus) still belongs on the CRL: it reads as
        // revoked at its last change for an unspecified reason.
        "SELECT serial_number, COALESCE(revoked_at, updated_at) AS revoked_at,"
            + " COALESCE(revocation_reason, 0) AS revocation_reason FROM certificates"
            + " WHERE ca_certificate_id = ? AND status = 'REVOKED' ORDER BY revoked_at",
        row -> new RevokedSerial(row.getString(1), revocation(row).orElseThrow()),
        caCertificateId);
  }

  /** Rows revoked before revocation details were kept read as unspecified at updated_at. */
  private static Optional<Revocation> revocation(ResultSet row) throws SQLException {
    long at = row.getLong("revoked_at");
    if (row.wasNull()) {
      return Optional.empty();
    }
    return Optional.of(
        new Revocation(
            Instant.ofEpochMilli(at), RevocationReason.ofCode(row.getInt("revocation_reason"))));
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
        Instant.ofEpochMilli(row.getLong("updated_at")),
        revocation(row));
  }
}
