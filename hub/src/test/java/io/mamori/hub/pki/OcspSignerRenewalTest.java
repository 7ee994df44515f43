package io.mamori.hub.pki;

import static org.assertj.core.api.Assertions.assertThat;

import io.mamori.hub.it.MovableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OcspSignerRenewalTest {
  @TempDir Path data;
  private final MovableClock clock = new MovableClock();

  private CertificateAuthority load() {
    return new CertificateAuthorityFiles(data.resolve("pki"), clock).loadOrCreate(List.of());
  }

  private X509Certificate stored() throws Exception {
    return Pem.parseCertificate(Files.readString(data.resolve("pki/ocsp-signer.crt")));
  }

  @Test
  void renewedOnceLessThanAThirdOfItsLifeIsLeftAndStoredEncrypted() throws Exception {
    OcspSignerRenewal renewal = load().revocationSigners().ocspRenewal();
    X509Certificate first = renewal.current().responderCertificate();
    assertThat(first).isEqualTo(stored());

    clock.advance(Duration.ofDays(59));
    assertThat(renewal.renewIfDue()).isEmpty();

    clock.advance(Duration.ofDays(2));
    Instant renewedAt = clock.instant();
    var renewed = renewal.renewIfDue().orElseThrow();

    assertThat(renewed.previous().responderCertificate()).isEqualTo(first);
    assertThat(renewal.current()).isSameAs(renewed.renewed());
    X509Certificate second = renewal.current().responderCertificate();
    assertThat(second).isNotEqualTo(first).isEqualTo(stored());
    second.verify(renewal.current().issuer().getPublicKey());
    assertThat(second.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.9");
    assertThat(second.getNonCriticalExtensionOIDs()).contains("1.3.6.1.5.5.7.48.1.5");
    assertThat(second.getNotAfter().toInstant())
        .isBetween(
            renewedAt.plus(OcspSignerRenewal.VALIDITY).minusSeconds(1),
            clock.instant().plus(OcspSignerRenewal.VALIDITY));
    assertThat(Files.readString(data.resolve("pki/ocsp-signer.key")))
        .startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----");
    assertThat(renewal.renewIfDue()).isEmpty();

    // The next start keeps the renewed signer.
    assertThat(load().revocationSigners().ocsp().responderCertificate()).isEqualTo(second);
  }

  @Test
  void aStartAfterItWasDueRenewsIt() throws Exception {
    X509Certificate first = load().revocationSigners().ocsp().responderCertificate();
    clock.advance(Duration.ofDays(61));

    X509Certificate second = load().revocationSigners().ocsp().responderCertificate();

    assertThat(second).isNotEqualTo(first).isEqualTo(stored());
  }

  @Test
  void aCertificateOfAnotherIssuerIsDue() throws Exception {
    CertificateAuthority ca = load();
    X509Certificate responder = ca.revocationSigners().ocsp().responderCertificate();

    assertThat(OcspSignerRenewal.reasonToRenew(responder, ca.rootCertificate(), clock.instant()))
        .hasValueSatisfying(reason -> assertThat(reason).contains("not signed by"));
    assertThat(OcspSignerRenewal.reasonToRenew(responder, ca.issuingCertificate(), clock.instant()))
        .isEmpty();
  }
}
