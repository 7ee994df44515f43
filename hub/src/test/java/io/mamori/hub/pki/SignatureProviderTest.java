package io.mamori.hub.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.pkcs.CertificationRequest;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SignatureProviderTest {
  @TempDir Path dir;

  @Test
  void conscryptLoadsOnThisPlatform() {
    assertThat(SignatureProvider.preferred().name()).startsWith("Conscrypt");
  }

  @Test
  void aNativeLibraryThatDoesNotLoadFallsBackToBouncyCastle() {
    SignatureProvider chosen =
        SignatureProvider.preferred(
            () -> {
              throw new UnsatisfiedLinkError("no conscrypt_openjdk_jni in java.library.path");
            });

    assertThat(chosen.name()).isEqualTo("BouncyCastle");
  }

  @Test
  void eitherProviderIssuesVerifiableCertificatesAndRefusesABadCsrSignature() throws Exception {
    for (SignatureProvider provider :
        List.of(SignatureProvider.preferred(), SignatureProvider.bouncyCastle())) {
      CertificateAuthority ca =
          new CertificateAuthorityFiles(
                  dir.resolve(provider.name().replace(' ', '-')),
                  Clock.systemUTC(),
                  CaKeyProtection.defaultsFor(dir),
                  Optional.empty(),
                  provider)
              .loadOrCreate(List.of());
      KeyPair device = TestPki.ecKeyPair("secp256r1");
      PKCS10CertificationRequest csr = TestPki.csr(device, "CN=ignored");

      X509Certificate issued =
          ca.issueForVerifiedKey("device-1", ca.verifyCsr(TestPki.pem(csr)), Duration.ofDays(30))
              .certificate();

      issued.verify(ca.issuingCertificate().getPublicKey());
      assertThat(issued.getPublicKey().getEncoded()).isEqualTo(device.getPublic().getEncoded());
      byte[] signature = csr.getSignature().clone();
      signature[signature.length - 1] ^= 0x01;
      String bad =
          TestPki.pem(
              new PKCS10CertificationRequest(
                  new CertificationRequest(
                      csr.toASN1Structure().getCertificationRequestInfo(),
                      csr.getSignatureAlgorithm(),
                      new DERBitString(signature))));
      assertThatThrownBy(() -> ca.verifyCsr(bad))
          .as(provider.name())
          .isInstanceOf(CsrRejectedException.class)
          .hasMessageContaining("signature");
    }
  }
}
