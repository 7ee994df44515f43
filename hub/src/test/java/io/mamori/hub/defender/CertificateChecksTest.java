package io.mamori.hub.defender;

import static org.assertj.core.api.Assertions.assertThat;

import io.mamori.hub.pki.CertificateIds;
import io.mamori.hub.pki.Pem;
import io.mamori.hub.registry.CertificateStatus;
import io.mamori.hub.registry.DeviceCertificate;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;

class CertificateChecksTest {
  private static final Instant NOW = Instant.parse("2026-11-02T00:00:00Z");

  private static KeyPair keys(String algorithm, int bits) throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
    if (algorithm.equals("EC")) {
      generator.initialize(new ECGenParameterSpec("secp256r1"));
    } else {
      generator.initialize(bits);
    }
    return generator.generateKeyPair();
  }

  private static X509Certificate certificate(KeyPair keys, Instant notAfter) throws Exception {
    var builder =
        new JcaX509v3CertificateBuilder(
            new X500Name("CN=t"),
            BigInteger.TEN,
            Date.from(NOW.minus(Duration.ofDays(400))),
            Date.from(notAfter),
            new X500Name("CN=t"),
            keys.getPublic());
    String algorithm =
        keys.getPrivate().getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
    return new JcaX509CertificateConverter()
        .getCertificate(
            builder.build(new JcaContentSignerBuilder(algorithm).build(keys.getPrivate())));
  }

  private static DeviceCertificate device(X509Certificate certificate, CertificateStatus status) {
    return new DeviceCertificate(
        CertificateIds.of(certificate),
        Pem.encodeCertificate(certificate),
        status,
        "CN=t",
        "CN=t",
        "0a",
        certificate.getNotBefore().toInstant(),
        certificate.getNotAfter().toInstant(),
        "ca",
        NOW,
        NOW);
  }

  @Test
  void expiringExpiredAndWeakCertificatesAreFoundOnlyWhenActive() throws Exception {
    var soon = certificate(keys("EC", 256), NOW.plus(Duration.ofDays(10)));
    var expired = certificate(keys("EC", 256), NOW.minus(Duration.ofDays(1)));
    var weak = certificate(keys("RSA", 1024), NOW.plus(Duration.ofDays(300)));
    var fine = certificate(keys("EC", 256), NOW.plus(Duration.ofDays(300)));
    var revokedWeak = certificate(keys("RSA", 1024), NOW.minus(Duration.ofDays(1)));
    var caSoon = certificate(keys("EC", 256), NOW.plus(Duration.ofDays(29)));

    var findings =
        new CertificateChecks()
            .check(
                List.of(
                    device(soon, CertificateStatus.ACTIVE),
                    device(expired, CertificateStatus.ACTIVE),
                    device(weak, CertificateStatus.ACTIVE),
                    device(fine, CertificateStatus.ACTIVE),
                    device(revokedWeak, CertificateStatus.REVOKED)),
                List.of(caSoon),
                NOW);

    assertThat(findings)
        .extracting(f -> f.check() + " " + f.reasonCode() + " " + f.resourceId())
        .containsExactlyInAnyOrder(
            "DEVICE_CERTIFICATE_EXPIRING_CHECK CERTIFICATE_APPROACHING_EXPIRATION "
                + CertificateIds.of(soon),
            "DEVICE_CERTIFICATE_EXPIRING_CHECK CERTIFICATE_PAST_EXPIRATION "
                + CertificateIds.of(expired),
            "DEVICE_CERTIFICATE_KEY_QUALITY_CHECK CERTIFICATE_KEY_TOO_SHORT "
                + CertificateIds.of(weak),
            "CA_CERTIFICATE_EXPIRING_CHECK CERTIFICATE_APPROACHING_EXPIRATION "
                + CertificateIds.of(caSoon));
    assertThat(findings)
        .filteredOn(f -> f.check().endsWith("KEY_QUALITY_CHECK"))
        .singleElement()
        .satisfies(f -> assertThat(f.reason()).contains("RSA key of 1024 bits"));
  }
}
