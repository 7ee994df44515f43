package io.mamori.hub.revocation;

import static org.assertj.core.api.Assertions.assertThat;

import io.mamori.hub.pki.CertificateAuthority;
import io.mamori.hub.pki.CertificateAuthorityFiles;
import io.mamori.hub.pki.RevocationReason;
import io.mamori.hub.registry.CertificateStatus;
import io.mamori.hub.registry.DeviceCertificate;
import io.mamori.hub.registry.Revocation;
import io.mamori.hub.store.SqliteCertificateRepository;
import io.mamori.hub.store.SqliteCrlNumbers;
import io.mamori.hub.store.SqliteDatabase;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.cert.CRLReason;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.Extension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The issuing CA's CRL: signed, numbered, listing revocations with dates and reason codes. */
class CrlPublisherTest {
  @TempDir Path dir;

  @Test
  void listsRevokedCertificatesWithReasonsAndIncreasingNumbers() throws Exception {
    Clock clock = Clock.systemUTC();
    CertificateAuthority ca =
        new CertificateAuthorityFiles(dir.resolve("pki"), clock).loadOrCreate(List.of());
    try (var db = SqliteDatabase.open(dir.resolve("test.db"))) {
      var certificates = new SqliteCertificateRepository(db);
      Instant at = clock.instant().truncatedTo(ChronoUnit.SECONDS);
      certificates.insert(revoked(ca, 1, new Revocation(at, RevocationReason.UNSPECIFIED), at));
      certificates.insert(
          revoked(ca, 2, new Revocation(at.plusSeconds(1), RevocationReason.KEY_COMPROMISE), at));
      var signers = ca.revocationSigners();
      var publisher =
          new CrlPublisher(
              certificates,
              new SqliteCrlNumbers(db),
              signers.rootCrl(),
              signers.issuingCrl(),
              clock,
              Duration.ofHours(6),
              Runnable::run);

      publisher.regenerateAll();
      var first = publisher.crl(ca.issuingCertificateId()).orElseThrow();
      publisher.revocationCommitted();
      var second = publisher.crl(ca.issuingCertificateId()).orElseThrow();

      assertThat(second.number()).isGreaterThan(first.number());
      X509CRL crl = parse(second.der());
      crl.verify(ca.issuingCertificate().getPublicKey());
      assertThat(crl.getIssuerX500Principal())
          .isEqualTo(ca.issuingCertificate().getSubjectX500Principal());
      assertThat(crl.getNextUpdate().toInstant())
          .isEqualTo(second.thisUpdate().plus(Duration.ofHours(6)).truncatedTo(ChronoUnit.SECONDS));
      assertThat(crlNumber(crl)).isEqualTo(second.number());
      var unspecified = crl.getRevokedCertificate(BigInteger.valueOf(0x7f3a01));
      assertThat(unspecified.getRevocationDate().toInstant()).isEqualTo(at);
      assertThat(unspecified.getRevocationReason()).isNull(); // RFC 5280 §5.3.1: left out
      var compromised = crl.getRevokedCertificate(BigInteger.valueOf(0x7f3a02));
      assertThat(compromised.getRevocationReason()).isEqualTo(CRLReason.KEY_COMPROMISE);
      assertThat(crl.getRevokedCertificates()).hasSize(2);

      X509CRL root =
          parse(
              publisher
                  .crl(io.mamori.hub.pki.CertificateIds.of(ca.rootCertificate()))
                  .orElseThrow()
                  .der());
      root.verify(ca.rootCertificate().getPublicKey());
      assertThat(root.getRevokedCertificates()).isNull();
    }
  }

  private static DeviceCertificate revoked(
      CertificateAuthority ca, int n, Revocation revocation, Instant at) {
    return new DeviceCertificate(
            String.format("%064x", n),
            "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n",
            CertificateStatus.ACTIVE,
            "CN=d" + n,
            "CN=issuer",
            String.format("7f3a%02x", n),
            at,
            at.plusSeconds(3600),
            ca.issuingCertificateId(),
            at,
            at)
        .revoked(revocation);
  }

  private static X509CRL parse(byte[] der) throws Exception {
    return (X509CRL)
        CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(der));
  }

  private static BigInteger crlNumber(X509CRL crl) {
    byte[] value = crl.getExtensionValue(Extension.cRLNumber.getId());
    return ASN1Integer.getInstance(ASN1OctetString.getInstance(value).getOctets()).getValue();
  }
}
