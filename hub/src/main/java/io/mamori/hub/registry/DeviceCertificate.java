package io.mamori.hub.registry;

import java.time.Instant;
import java.util.Optional;

/**
 * A device certificate registered with the hub.
 *
 * @param id lowercase hex SHA-256 of the DER encoding, as AWS IoT computes certificateId
 * @param pem the certificate in PEM
 * @param status current status; only ACTIVE certificates authenticate
 * @param subject RFC 4514 subject DN
 * @param issuer RFC 4514 issuer DN
 * @param serialNumber serial number in lowercase hex
 * @param caCertificateId id of the CA certificate that issued it
 * @param revocation when and why it was revoked; present exactly when status is REVOKED
 */
public record DeviceCertificate(
    String id,
    String pem,
    CertificateStatus status,
    String subject,
    String issuer,
    String serialNumber,
    Instant notBefore,
    Instant notAfter,
    String caCertificateId,
    Instant createdAt,
    Instant updatedAt,
    Optional<Revocation> revocation) {

  /**
   * The {@code caCertificateId} of a certificate registered without its CA (AWS
   * RegisterCertificateWithoutCA): no CA vouches for it, it is trusted by exact match only.
   */
  public static final String WITHOUT_CA = "without-ca";

  /** A certificate that is not revoked. */
  public DeviceCertificate(
      String id,
      String pem,
      CertificateStatus status,
      String subject,
      String issuer,
      String serialNumber,
      Instant notBefore,
      Instant notAfter,
      String caCertificateId,
      Instant createdAt,
      Instant updatedAt) {
    this(
        id,
        pem,
        status,
        subject,
        issuer,
        serialNumber,
        notBefore,
        notAfter,
        caCertificateId,
        createdAt,
        updatedAt,
        Optional.empty());
  }

  public DeviceCertificate withStatus(CertificateStatus next, Instant at) {
    return new DeviceCertificate(
        id,
        pem,
        next,
        subject,
        issuer,
        serialNumber,
        notBefore,
        notAfter,
        caCertificateId,
        createdAt,
        at,
        revocation);
  }

  /** REVOKED at {@code revocation.revokedAt()}, for {@code revocation.reason()}. */
  public DeviceCertificate revoked(Revocation revocation) {
    return new DeviceCertificate(
        id,
        pem,
        CertificateStatus.REVOKED,
        subject,
        issuer,
        serialNumber,
        notBefore,
        notAfter,
        caCertificateId,
        createdAt,
        revocation.revokedAt(),
        Optional.of(revocation));
  }
}
