package io.mamori.hub.pki;

import java.security.cert.X509Certificate;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import org.bouncycastle.asn1.x509.Time;
import org.bouncycastle.jcajce.interfaces.BCX509Certificate;

/**
 * A certificate's validity times as instants, read without {@code java.text}: BouncyCastle's {@code
 * getNotBefore()} builds a {@code SimpleDateFormat} per call, which bulk issuance measured as a
 * third of the cost of registering a certificate it had just signed.
 */
public final class CertificateValidity {
  // Time.getTime(): "yyyyMMddHHmmss" then the zone, for UTCTime and GeneralizedTime alike.
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
      // Digits read by hand: a DateTimeFormatter parse was still most of this method's cost.
      int year = digits(text, 0, 4);
      int month = digits(text, 4, 6);
      int day = digits(text, 6, 8);
      int hour = digits(text, 8, 10);
      int minute = digits(text, 10, 12);
      int second = digits(text, 12, 14);
      if (year >= 0 && month >= 0 && day >= 0 && hour >= 0 && minute >= 0 && second >= 0) {
        try {
          return LocalDateTime.of(year, month, day, hour, minute, second).toInstant(ZoneOffset.UTC);
        } catch (DateTimeException e) {
          // out of range: BouncyCastle's own parser below decides
        }
      }
    }
    return time.getDate().toInstant();
  }

  /** The decimal number in {@code text[from, to)}, or -1 if a character is not a digit. */
  private static int digits(String text, int from, int to) {
    int value = 0;
    for (int i = from; i < to; i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }
}
