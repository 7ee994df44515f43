package io.mamori.hub.pki;

import java.io.StringWriter;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/** Test-only key, CSR and foreign-CA factories with real crypto. */
final class TestPki {
  static final BouncyCastleProvider BC = new BouncyCastleProvider();
  static final CertificateSigner SIGNER = new CertificateSigner(new SecureRandom());

  private TestPki() {}

  static KeyPair ecKeyPair(String curve) throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", BC);
    generator.initialize(new ECGenParameterSpec(curve));
    return generator.generateKeyPair();
  }

  static KeyPair rsaKeyPair(int bits) throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(bits);
    return generator.generateKeyPair();
  }

  static PKCS10CertificationRequest csr(KeyPair keys, String subject) throws Exception {
    String algorithm =
        "RSA".equals(keys.getPublic().getAlgorithm()) ? "SHA256withRSA" : "SHA256withECDSA";
    return new JcaPKCS10CertificationRequestBuilder(new X500Name(subject), keys.getPublic())
        .build(new JcaContentSignerBuilder(algorithm).setProvider(BC).build(keys.getPrivate()));
  }

  static String pem(Object object) throws Exception {
    StringWriter text = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
      writer.writeObject(object);
    }
    return text.toString();
  }

  /** A self-signed CA unrelated to any hub, with its key. */
  record ForeignCa(KeyPair keys, X509Certificate certificate) {
    static ForeignCa create(String subject) {
      KeyPair keys = SIGNER.generateEcP256();
      Instant now = Instant.now();
      return new ForeignCa(
          keys,
          SIGNER.selfSignedRoot(
              keys,
              new X500Name(subject),
              now.minus(Duration.ofDays(1)),
              now.plus(Duration.ofDays(365))));
    }

    X509Certificate issue(
        String subject, KeyPurposeId purpose, Instant notBefore, Instant notAfter) {
      return SIGNER.endEntity(
          SIGNER.generateEcP256().getPublic(),
          new X500Name(subject),
          certificate,
          keys.getPrivate(),
          notBefore,
          notAfter,
          purpose,
          Optional.empty());
    }
  }
}
