package io.mamori.hub.pki;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import org.bouncycastle.asn1.x509.Time;
import org.bouncycastle.jcajce.interfaces.BCX509Certificate;

/**
 * A certificate's validity times as instants, read without {@code java.text}: BouncyCastle's {@code
 * getNotBefore()} builds a {@code SimpleDateFormat} per call, which bulk issuance measured as a
 * third of the cost of registering a certificate it had just signed.
 */
public final class CertificateValidity {
  // Time.getTime(): "yyyyMMddHHmmss" then the zone, for UTCTime and GeneralizedTime alike.
  private static final DateTimeFormatter DIGITS = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");
  private static final String UTC_SUFFIX = "GMT+00:00";

  private CertificateValidity() {}

  public static Instant notBefore(X509Certificate certificate) {
    if (certificate instanceof BCX509Certificate bc) {
      return instant(bc.getTBSCertificateNative().getStartDate());
    }
    return certificate.getNotBefore().toInstant();
  }

  public static Instant notAfter(X509Certificate certificate) {
    if (certificate instanceof BCX509Certificate bc) {
      return instant(bc.getTBSCertificateNative().getEndDate());
    }
    return certificate.getNotAfter().toInstant();
  }

  /**
   * RFC 5280 §4.1.2.5: whole seconds in UTC ('Z'); anything else (fractions, offsets, found only in
   * certificates from elsewhere) goes the general way.
   */
  static Instant instant(Time time) {
    String text = time.getTime();
    if (text.length() == 14 + UTC_SUFFIX.length() && text.endsWith(UTC_SUFFIX)) {
      try {
        return LocalDateTime.parse(text.substring(0, 14), DIGITS).toInstant(ZoneOffset.UTC);
      } catch (DateTimeParseException e) {
        // fall through to BouncyCastle's own parser
      }
    }
    return time.getDate().toInstant();
  }
}
