package io.mamori.hub.registry;

import java.time.Instant;
import java.util.Optional;

/**
 * A manufacturer's CA certificate registered with the hub: device certificates it issued may
 * connect (after registration, or by auto-registration) while it is ACTIVE.
 *
 * @param id lowercase hex SHA-256 of the DER encoding (same scheme as device certificates)
 * @param subject RFC 4514 subject DN
 * @param serialNumber serial number in lowercase hex
 * @param jitrWebhook URL told of each JITR registration event (reference §2.3); its answer may
 *     activate the certificate
 */
public record CaCertificate(
    String id,
    String pem,
    CaCertificateStatus status,
    CertificateMode mode,
    AutoRegistrationStatus autoRegistration,
    Optional<RegistrationConfig> registrationConfig,
    String subject,
    String serialNumber,
    Instant notBefore,
    Instant notAfter,
    Instant createdAt,
    Instant updatedAt,
    Optional<String> jitrWebhook) {

  public CaCertificate withStatus(CaCertificateStatus next, Instant at) {
    return new CaCertificate(
        id,
        pem,
        next,
        mode,
        autoRegistration,
        registrationConfig,
        subject,
        serialNumber,
        notBefore,
        notAfter,
        createdAt,
        at,
        jitrWebhook);
  }

  /** A copy with another JITP template (empty: JITR) and JITR webhook. */
  public CaCertificate withJustInTime(
      Optional<RegistrationConfig> config, Optional<String> webhook, Instant at) {
    return new CaCertificate(
        id,
        pem,
        status,
        mode,
        autoRegistration,
        config,
        subject,
        serialNumber,
        notBefore,
        notAfter,
        createdAt,
        at,
        webhook);
  }

  public CaCertificate withAutoRegistration(
      AutoRegistrationStatus next, Optional<RegistrationConfig> config, Instant at) {
    return new CaCertificate(
        id,
        pem,
        status,
        mode,
        next,
        config,
        subject,
        serialNumber,
        notBefore,
        notAfter,
        createdAt,
        at,
        jitrWebhook);
  }
}
