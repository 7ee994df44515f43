package io.mamori.hub.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPair;
import org.bouncycastle.asn1.pkcs.CertificationRequest;
import org.bouncycastle.asn1.pkcs.CertificationRequestInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.junit.jupiter.api.Test;

class CsrVerifierTest {
  private final CsrVerifier verifier = new CsrVerifier();

  @Test
  void acceptedKeysReturnTheCsrPublicKey() throws Exception {
    for (String curve : new String[] {"secp256r1", "secp384r1", "secp521r1"}) {
      KeyPair keys = TestPki.ecKeyPair(curve);
      assertThat(verifier.verify(TestPki.pem(TestPki.csr(keys, "CN=ok"))).getEncoded())
          .as(curve)
          .isEqualTo(keys.getPublic().getEncoded());
    }
    KeyPair rsa = TestPki.rsaKeyPair(2048);
    assertThat(verifier.verify(TestPki.pem(TestPki.csr(rsa, "CN=ok"))).getEncoded())
        .isEqualTo(rsa.getPublic().getEncoded());
  }

  @Test
  void csrWithTamperedSignatureIsRefused() throws Exception {
    PKCS10CertificationRequest signed = TestPki.csr(TestPki.SIGNER.generateEcP256(), "CN=device");
    CertificationRequest original = signed.toASN1Structure();
    CertificationRequestInfo info = original.getCertificationRequestInfo();
    // Same key and signature, different subject: the signature no longer covers the content.
    CertificationRequestInfo altered =
        new CertificationRequestInfo(
            new X500Name("CN=someone-else"), info.getSubjectPublicKeyInfo(), info.getAttributes());
    PKCS10CertificationRequest tampered =
        new PKCS10CertificationRequest(
            new CertificationRequest(
                altered, original.getSignatureAlgorithm(), original.getSignature()));

    assertThatThrownBy(() -> verifier.verify(TestPki.pem(tampered)))
        .isInstanceOf(CsrRejectedException.class)
        .hasMessage("CSR signature does not verify with the CSR's public key");
  }

  @Test
  void rsa1024CsrIsRefused() throws Exception {
    String csr = TestPki.pem(TestPki.csr(TestPki.rsaKeyPair(1024), "CN=weak"));

    assertThatThrownBy(() -> verifier.verify(csr))
        .isInstanceOf(CsrRejectedException.class)
        .hasMessage("CSR key is RSA 1024 bits; at least 2048 required");
  }

  @Test
  void secp256k1CsrIsRefused() throws Exception {
    String csr = TestPki.pem(TestPki.csr(TestPki.ecKeyPair("secp256k1"), "CN=k1"));

    assertThatThrownBy(() -> verifier.verify(csr))
        .isInstanceOf(CsrRejectedException.class)
        .hasMessageContaining("curve secp256k1")
        .hasMessageContaining("only P-256, P-384 and P-521 are accepted");
  }

  @Test
  void ed25519CsrIsRefusedAsUnsupportedKeyType() throws Exception {
    var generator = java.security.KeyPairGenerator.getInstance("Ed25519", TestPki.BC);
    KeyPair keys = generator.generateKeyPair();
    var csr =
        new org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder(
                new X500Name("CN=ed"), keys.getPublic())
            .build(
                new org.bouncycastle.operator.jcajce.JcaContentSignerBuilder("Ed25519")
                    .setProvider(TestPki.BC)
                    .build(keys.getPrivate()));

    assertThatThrownBy(() -> verifier.verify(TestPki.pem(csr)))
        .isInstanceOf(CsrRejectedException.class)
        .hasMessageContaining("CSR key type 1.3.101.112 is not supported");
  }

  @Test
  void textThatIsNotACsrIsRefused() {
    assertThatThrownBy(() -> verifier.verify("hello"))
        .isInstanceOf(CsrRejectedException.class)
        .hasMessageContaining("not a PEM CERTIFICATE REQUEST");
    assertThatThrownBy(
            () ->
                verifier.verify(
                    "-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n"))
        .isInstanceOf(CsrRejectedException.class);
  }

  @Test
  void theOlderNewCertificateRequestLabelIsReadAndACertificateIsNotACsr() throws Exception {
    KeyPair keys = TestPki.ecKeyPair("secp256r1");
    String pem = TestPki.pem(TestPki.csr(keys, "CN=old-tool"));
    String oldLabel = pem.replace("CERTIFICATE REQUEST-----", "NEW CERTIFICATE REQUEST-----");

    assertThat(oldLabel).contains("-----BEGIN NEW CERTIFICATE REQUEST-----");
    assertThat(verifier.verify(oldLabel).getEncoded()).isEqualTo(keys.getPublic().getEncoded());
    assertThat(verifier.verify(oldLabel)).isEqualTo(verifier.verify(pem));
    String certificate =
        Pem.encodeCertificate(
            TestPki.SIGNER.selfSignedRoot(
                keys,
                new X500Name("CN=not-a-csr"),
                java.time.Instant.now(),
                java.time.Instant.now().plusSeconds(3600)));
    assertThatThrownBy(() -> verifier.verify(certificate))
        .isInstanceOf(CsrRejectedException.class)
        .hasMessage("CSR is not a PEM CERTIFICATE REQUEST (PKCS#10)");
  }

  @Test
  void aCompressedEcPointIsReturnedInItsUncompressedForm() throws Exception {
    KeyPair keys = TestPki.ecKeyPair("secp256r1");
    var full =
        org.bouncycastle.asn1.x509.SubjectPublicKeyInfo.getInstance(keys.getPublic().getEncoded());
    byte[] point = full.getPublicKeyData().getBytes();
    // SEC 1 §2.3.3: 0x02 or 0x03 (the parity of y), then x alone.
    byte[] compressed = new byte[33];
    compressed[0] = (byte) ((point[64] & 1) == 0 ? 0x02 : 0x03);
    System.arraycopy(point, 1, compressed, 1, 32);
    var info =
        new CertificationRequestInfo(
            new X500Name("CN=compressed"),
            new org.bouncycastle.asn1.x509.SubjectPublicKeyInfo(full.getAlgorithm(), compressed),
            new org.bouncycastle.asn1.DERSet());
    var signer = java.security.Signature.getInstance("SHA256withECDSA");
    signer.initSign(keys.getPrivate());
    signer.update(info.getEncoded(org.bouncycastle.asn1.ASN1Encoding.DER));
    var csr =
        new PKCS10CertificationRequest(
            new CertificationRequest(
                info,
                new org.bouncycastle.asn1.x509.AlgorithmIdentifier(
                    org.bouncycastle.asn1.x9.X9ObjectIdentifiers.ecdsa_with_SHA256),
                new org.bouncycastle.asn1.DERBitString(signer.sign())));

    assertThat(verifier.verify(TestPki.pem(csr)).getEncoded())
        .isEqualTo(keys.getPublic().getEncoded());
  }
}
