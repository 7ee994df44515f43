package io.mamori.hub.registry;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Persistence of device certificates and their attachments to things. */
public interface CertificateRepository {
  /** Inserts; throws {@link RegistryException} CONFLICT if the id exists. */
  void insert(DeviceCertificate certificate);

  void update(DeviceCertificate certificate);

  /** Deletes the certificate with its attachments; false when there was none. */
  boolean delete(String id);

  Optional<DeviceCertificate> find(String id);

  List<DeviceCertificate> list();

  void attachThing(String certificateId, String thingName);

  /** False when there was no such attachment. */
  boolean detachThing(String certificateId, String thingName);

  /** Names of the things this certificate is attached to. */
  List<String> thingsOf(String certificateId);

  /** Ids of the certificates attached to this thing. */
  List<String> certificatesOf(String thingName);

  /** Certificates not REVOKED whose notAfter is before {@code before}, soonest first. */
  List<DeviceCertificate> expiringBefore(Instant before);

  /** The certificate {@code caCertificateId} issued with this serial (lowercase hex). */
  Optional<DeviceCertificate> findBySerial(String caCertificateId, String serialNumber);

  /** Every REVOKED certificate {@code caCertificateId} issued: the entries of its CRL. */
  List<RevokedSerial> revokedBy(String caCertificateId);
}
