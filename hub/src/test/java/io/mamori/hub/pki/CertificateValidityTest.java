package io.mamori.hub.pki;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.jcajce.interfaces.BCX509Certificate;
import org.junit.jupiter.api.Test;

class CertificateValidityTest {
  private final CertificateSigner signer = new CertificateSigner(new SecureRandom());

  @Test
  void readsTheSameTimesAsTheCertificateOnBothSidesOfThe2050Switch() throws Exception {
    KeyPair keys = signer.generateEcP256();
    Instant notBefore = Instant.parse("2026-11-23T15:31:07Z");
    for (String end : new String[] {"2049-12-31T23:59:59Z", "2050-01-01T00:00:00Z"}) {
      X509Certificate certificate =
          signer.selfSignedRoot(keys, new X500Name("CN=validity"), notBefore, Instant.parse(end));
      assertThat(certificate).isInstanceOf(BCX509Certificate.class);

      assertThat(CertificateValidity.notBefore(certificate)).isEqualTo(notBefore);
      assertThat(CertificateValidity.notAfter(certificate)).as(end).isEqualTo(Instant.parse(end));
      assertThat(CertificateValidity.notAfter(certificate))
          .isEqualTo(certificate.getNotAfter().toInstant());
    }
  }

  @Test
  void readsBouncyCastleTimesOfEveryShape() {
    for (String at :
        new String[] {"1999-01-02T03:04:05Z", "2049-12-31T23:59:59Z", "2126-06-30T12:00:00Z"}) {
      Instant instant = Instant.parse(at);
      assertThat(CertificateValidity.instant(CertificateTimes.of(instant)))
          .as(at)
          .isEqualTo(instant);
    }
    // A fraction of a second (allowed in GeneralizedTime outside RFC 5280) goes the general way.
    var fractional =
        new org.bouncycastle.asn1.x509.Time(
            new org.bouncycastle.asn1.ASN1GeneralizedTime("20500101000000.5Z"));
    assertThat(CertificateValidity.instant(fractional))
        .isEqualTo(Instant.parse("2050-01-01T00:00:00.500Z"));
  }

  @Test
  void readsJdkCertificatesTheGeneralWay() throws Exception {
    X509Certificate bc =
        signer.selfSignedRoot(
            signer.generateEcP256(),
            new X500Name("CN=jdk"),
            Instant.parse("2030-01-02T03:04:05Z"),
            Instant.parse("2060-01-02T03:04:05Z"));
    X509Certificate jdk =
        (X509Certificate)
            CertificateFactory.getInstance("X.509")
                .generateCertificate(new java.io.ByteArrayInputStream(bc.getEncoded()));

    assertThat(CertificateValidity.notBefore(jdk)).isEqualTo(Instant.parse("2030-01-02T03:04:05Z"));
    assertThat(CertificateValidity.notAfter(jdk)).isEqualTo(Instant.parse("2060-01-02T03:04:05Z"));
  }
}
