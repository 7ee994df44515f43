package io.mamori.hub.pki;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import org.bouncycastle.asn1.ASN1GeneralizedTime;
import org.bouncycastle.asn1.ASN1UTCTime;
import org.bouncycastle.asn1.x509.Time;

/**
 * Validity times of a certificate as RFC 5280 §4.1.2.5 encodes them: UTCTime through 2049,
 * GeneralizedTime from 2050, always UTC with seconds and a 'Z'. BouncyCastle's {@code Time(Date)}
 * does the same through {@code java.text.SimpleDateFormat}, which bulk issuance measured at ~20 us
 * per certificate; this reads the DER it writes instead.
 */
final class CertificateTimes {
  private static final DateTimeFormatter UTC_TIME = DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'");
  private static final DateTimeFormatter GENERALIZED_TIME =
      DateTimeFormatter.ofPattern("yyyyMMddHHmmss'Z'");
  private static final int UTC_TIME_TAG = 0x17;
  private static final int GENERALIZED_TIME_TAG = 0x18;

  private CertificateTimes() {}

  static Time of(Instant instant) {
    ZonedDateTime utc = instant.atZone(ZoneOffset.UTC);
    int year = utc.getYear();
    if (year < 0 || year > 9999) {
      throw new IllegalArgumentException("certificate time out of range: " + instant);
    }
    if (year >= 1950 && year <= 2049) {
      return new Time(ASN1UTCTime.getInstance(der(UTC_TIME_TAG, UTC_TIME.format(utc))));
    }
    return new Time(
        ASN1GeneralizedTime.getInstance(der(GENERALIZED_TIME_TAG, GENERALIZED_TIME.format(utc))));
  }

  private static byte[] der(int tag, String text) {
    byte[] ascii = text.getBytes(StandardCharsets.US_ASCII);
    byte[] der = new byte[ascii.length + 2];
    der[0] = (byte) tag;
    der[1] = (byte) ascii.length;
    System.arraycopy(ascii, 0, der, 2, ascii.length);
    return der;
  }
}
