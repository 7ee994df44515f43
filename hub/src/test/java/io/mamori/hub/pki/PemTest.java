package io.mamori.hub.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.util.List;
import org.bouncycastle.openssl.jcajce.JcaMiscPEMGenerator;
import org.junit.jupiter.api.Test;

class PemTest {
  private final TestPki.ForeignCa ca = TestPki.ForeignCa.create("CN=Pem Test CA");

  @Test
  void certificatesRoundTripInOrder() {
    X509Certificate leaf =
        ca.issue(
            "CN=leaf",
            org.bouncycastle.asn1.x509.KeyPurposeId.id_kp_clientAuth,
            java.time.Instant.now(),
            java.time.Instant.now().plusSeconds(3600));

    String pem = Pem.encodeCertificates(List.of(leaf, ca.certificate()));

    assertThat(pem).startsWith("-----BEGIN CERTIFICATE-----");
    assertThat(Pem.parseCertificates(pem)).containsExactly(leaf, ca.certificate());
    assertThat(Pem.parseCertificate(Pem.encodeCertificate(leaf))).isEqualTo(leaf);
  }

  @Test
  void pkcs8AndSec1EcKeysAreRead() throws Exception {
    // A BouncyCastle key, like an OpenSSL one, carries its curve inside the SEC1 structure;
    // JcaMiscPEMGenerator writes it in the traditional "EC PRIVATE KEY" form.
    KeyPair keys = TestPki.ecKeyPair("secp256r1");
    String pkcs8 = Pem.encodePrivateKey(keys.getPrivate());
    String sec1 = TestPki.pem(new JcaMiscPEMGenerator(keys.getPrivate()));

    assertThat(pkcs8).startsWith("-----BEGIN PRIVATE KEY-----");
    assertThat(sec1).startsWith("-----BEGIN EC PRIVATE KEY-----");
    assertThat(((ECPrivateKey) Pem.parsePrivateKey(pkcs8)).getS())
        .isEqualTo(((ECPrivateKey) keys.getPrivate()).getS());
    assertThat(((ECPrivateKey) Pem.parsePrivateKey(sec1)).getS())
        .isEqualTo(((ECPrivateKey) keys.getPrivate()).getS());
  }

  @Test
  void textWithoutTheExpectedBlockIsRefused() {
    assertThatThrownBy(() -> Pem.parseCertificates("nothing here"))
        .isInstanceOf(PemFormatException.class)
        .hasMessageContaining("no CERTIFICATE");
    assertThatThrownBy(() -> Pem.parsePrivateKey(Pem.encodeCertificate(ca.certificate())))
        .isInstanceOf(PemFormatException.class);
    assertThatThrownBy(
            () ->
                Pem.parseCertificate(
                    Pem.encodeCertificates(List.of(ca.certificate(), ca.certificate()))))
        .isInstanceOf(PemFormatException.class)
        .hasMessageContaining("found 2");
  }
}
