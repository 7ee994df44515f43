package io.mamori.hub.it;

import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Certificates the hub must refuse, made outside its CA: from an unknown CA, or signed by the hub's
 * own issuing key but already expired.
 */
final class TestCertificates {
  private static final SecureRandom random = new SecureRandom();

  private TestCertificates() {}

  static KeyPair p256() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    return generator.generateKeyPair();
  }

  /** A self-signed CA nobody registered with the hub. */
  static X509Certificate selfSignedCa(KeyPair keys, String name) throws Exception {
    var builder =
        new JcaX509v3CertificateBuilder(
            new X500Name("CN=" + name),
            new BigInteger(64, random),
            Date.from(Instant.now().minusSeconds(60)),
            Date.from(Instant.now().plusSeconds(86_400)),
            new X500Name("CN=" + name),
            keys.getPublic());
    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
    builder.addExtension(
        Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    return sign(builder, keys.getPrivate());
  }

  /** A device certificate signed by {@code issuer}, valid between the given instants. */
  static X509Certificate device(
      KeyPair deviceKeys,
      String commonName,
      X509Certificate issuer,
      PrivateKey issuerKey,
      Instant notBefore,
      Instant notAfter)
      throws Exception {
    var builder =
        new JcaX509v3CertificateBuilder(
            issuer,
            new BigInteger(64, random),
            Date.from(notBefore),
            Date.from(notAfter),
            new X500Name("CN=" + commonName),
            deviceKeys.getPublic());
    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
    builder.addExtension(
        Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
    return sign(builder, issuerKey);
  }

  private static X509Certificate sign(JcaX509v3CertificateBuilder builder, PrivateKey key)
      throws Exception {
    var signer = new JcaContentSignerBuilder("SHA256withECDSA").build(key);
    return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
  }

  /** Writes NAME.crt and NAME.key into {@code dir} as {@code mamori cert issue} would. */
  static void write(Path dir, String name, X509Certificate certificate, PrivateKey key)
      throws Exception {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve(name + ".crt"), pem(certificate));
    Files.writeString(dir.resolve(name + ".key"), io.mamori.hub.pki.Pem.encodePrivateKey(key));
  }

  static String pem(Object object) throws Exception {
    StringWriter text = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
      writer.writeObject(object);
    }
    return text.toString();
  }

  static X509Certificate readCertificate(Path file) throws Exception {
    try (var in = Files.newInputStream(file)) {
      return (X509Certificate)
          java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
  }
}
