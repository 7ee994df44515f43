package io.mamori.hub.defender;

import io.mamori.hub.defender.AuditFinding.Severity;
import io.mamori.hub.pki.CertificateIds;
import io.mamori.hub.pki.Pem;
import io.mamori.hub.registry.CertificateStatus;
import io.mamori.hub.registry.DeviceCertificate;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Certificate checks of reference §8.1: {@code DEVICE_CERTIFICATE_EXPIRING_CHECK}, {@code
 * CA_CERTIFICATE_EXPIRING_CHECK} (expired, or expiring within 30 days) and {@code
 * DEVICE_CERTIFICATE_KEY_QUALITY_CHECK}, {@code CA_CERTIFICATE_KEY_QUALITY_CHECK} (RSA below 2048
 * bits, EC below 256 bits). Only ACTIVE device certificates count: an inactive or revoked one
 * cannot connect anyway.
 */
public final class CertificateChecks {
  static final Duration EXPIRY_WINDOW = Duration.ofDays(30);

  public List<AuditFinding> check(
      List<DeviceCertificate> devices, List<X509Certificate> caChain, Instant now) {
    List<AuditFinding> findings = new ArrayList<>();
    for (DeviceCertificate device : devices) {
      if (device.status() != CertificateStatus.ACTIVE) {
        continue;
      }
      expiry(
              "DEVICE_CERTIFICATE_EXPIRING_CHECK",
              "DEVICE_CERTIFICATE",
              device.id(),
              device.notAfter(),
              now)
          .ifPresent(findings::add);
      X509Certificate parsed = Pem.parseCertificate(device.pem());
      weakKey(
              "DEVICE_CERTIFICATE_KEY_QUALITY_CHECK",
              "DEVICE_CERTIFICATE",
              device.id(),
              parsed.getPublicKey())
          .ifPresent(findings::add);
    }
    for (X509Certificate ca : caChain) {
      String id = CertificateIds.of(ca);
      expiry(
              "CA_CERTIFICATE_EXPIRING_CHECK",
              "CA_CERTIFICATE",
              id,
              ca.getNotAfter().toInstant(),
              now)
          .ifPresent(findings::add);
      weakKey("CA_CERTIFICATE_KEY_QUALITY_CHECK", "CA_CERTIFICATE", id, ca.getPublicKey())
          .ifPresent(findings::add);
    }
    return findings;
  }

  private static Optional<AuditFinding> expiry(
      String check, String type, String id, Instant notAfter, Instant now) {
    if (!notAfter.isAfter(now)) {
      return Optional.of(
          new AuditFinding(
              check,
              Severity.MEDIUM,
              "CERTIFICATE_PAST_EXPIRATION",
              type,
              id,
              "expired on " + notAfter + "; renew it (devices using it can no longer connect)"));
    }
    if (notAfter.isBefore(now.plus(EXPIRY_WINDOW))) {
      long days = Duration.between(now, notAfter).toDays();
      return Optional.of(
          new AuditFinding(
              check,
              Severity.MEDIUM,
              "CERTIFICATE_APPROACHING_EXPIRATION",
              type,
              id,
              "expires on " + notAfter + " (in " + days + " days); renew it before then"));
    }
    return Optional.empty();
  }

  private static Optional<AuditFinding> weakKey(
      String check, String type, String id, PublicKey key) {
    String weakness = null;
    if (key instanceof RSAPublicKey rsa && rsa.getModulus().bitLength() < 2048) {
      weakness = "RSA key of " + rsa.getModulus().bitLength() + " bits (at least 2048 required)";
    } else if (key instanceof ECPublicKey ec
        && ec.getParams().getCurve().getField().getFieldSize() < 256) {
      weakness =
          "EC key of "
              + ec.getParams().getCurve().getField().getFieldSize()
              + " bits (at least 256 required)";
    }
    if (weakness == null) {
      return Optional.empty();
    }
    return Optional.of(
        new AuditFinding(
            check,
            Severity.CRITICAL,
            "CERTIFICATE_KEY_TOO_SHORT",
            type,
            id,
            weakness + "; issue a new certificate with a stronger key"));
  }
}
