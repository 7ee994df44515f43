package io.mamori.hub.pki;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Builds and signs the X.509 certificates of the hub's CA: root, issuing CA and end-entity (server
 * and device) certificates, with the extensions RFC 5280 asks of each.
 */
final class CertificateSigner {
  private final SecureRandom random;

  CertificateSigner(SecureRandom random) {
    this.random = random;
  }

  /** A fresh EC key pair on NIST P-256 (secp256r1). */
  KeyPair generateEcP256() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"), random);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("EC P-256 is required by every JDK", e);
    }
  }

  /**
   * A positive serial of 127 random bits. RFC 5280 §4.1.2.2: serials must be positive and at most
   * 20 octets; CA/Browser Forum BR §7.1 asks for at least 64 bits from a CSPRNG so serials cannot
   * be predicted. 16 bytes with the top bit cleared fit in 16 DER octets.
   */
  BigInteger randomSerial() {
    byte[] bytes = new byte[16];
    random.nextBytes(bytes);
    bytes[0] &= 0x7f;
    BigInteger serial = new BigInteger(1, bytes);
    return serial.signum() == 0 ? BigInteger.ONE : serial;
  }

  X509Certificate selfSignedRoot(
      KeyPair keys, X500Name subject, Instant notBefore, Instant notAfter) {
    try {
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
              subject, randomSerial(), date(notBefore), date(notAfter), subject, keys.getPublic());
      // RFC 5280 §4.2.1.9 and §4.2.1.3: a CA certificate marks both extensions critical.
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
      builder.addExtension(
          Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      builder.addExtension(
          Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()));
      return sign(builder, keys.getPrivate());
    } catch (GeneralSecurityException | CertIOException e) {
      throw new IllegalStateException("cannot build root CA certificate", e);
    }
  }

  /** An intermediate CA that may sign end-entity certificates only (pathLenConstraint 0). */
  X509Certificate issuingCa(
      PublicKey subjectKey,
      X500Name subject,
      X509Certificate root,
      PrivateKey rootKey,
      Instant notBefore,
      Instant notAfter) {
    try {
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
              root, randomSerial(), date(notBefore), date(notAfter), subject, subjectKey);
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
      builder.addExtension(
          Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      builder.addExtension(
          Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(subjectKey));
      builder.addExtension(
          Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(root));
      return sign(builder, rootKey);
    } catch (GeneralSecurityException | CertIOException e) {
      throw new IllegalStateException("cannot build issuing CA certificate", e);
    }
  }

  /**
   * An end-entity certificate for {@code purpose} (serverAuth or clientAuth). RFC 5280 §4.2.1.3:
   * ECDSA keys only sign; RSA keys may also be used for RSA key transport in TLS 1.2, so they get
   * keyEncipherment as well.
   */
  X509Certificate endEntity(
      PublicKey subjectKey,
      X500Name subject,
      X509Certificate issuer,
      PrivateKey issuerKey,
      Instant notBefore,
      Instant notAfter,
      KeyPurposeId purpose,
      Optional<GeneralNames> subjectAlternativeNames) {
    try {
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
              issuer, randomSerial(), date(notBefore), date(notAfter), subject, subjectKey);
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      int usage = KeyUsage.digitalSignature;
      if ("RSA".equals(subjectKey.getAlgorithm())) {
        usage |= KeyUsage.keyEncipherment;
      }
      builder.addExtension(Extension.keyUsage, true, new KeyUsage(usage));
      builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
      builder.addExtension(
          Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(subjectKey));
      builder.addExtension(
          Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(issuer));
      if (subjectAlternativeNames.isPresent()) {
        builder.addExtension(
            Extension.subjectAlternativeName, false, subjectAlternativeNames.get());
      }
      return sign(builder, issuerKey);
    } catch (GeneralSecurityException | CertIOException e) {
      throw new IllegalStateException("cannot build end-entity certificate", e);
    }
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signingKey)
      throws CertificateException {
    try {
      var signer = new JcaContentSignerBuilder(signatureAlgorithm(signingKey)).build(signingKey);
      return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
    } catch (OperatorCreationException e) {
      throw new IllegalStateException("cannot sign with " + signingKey.getAlgorithm() + " key", e);
    }
  }

  /** The signature algorithm a CA key of this type signs with. */
  static String signatureAlgorithm(PrivateKey key) {
    return switch (key.getAlgorithm()) {
      case "EC" -> "SHA256withECDSA";
      case "RSA" -> "SHA256withRSA";
      default ->
          throw new IllegalArgumentException(
              "CA keys must be EC or RSA, not " + key.getAlgorithm());
    };
  }

  private static Date date(Instant instant) {
    return Date.from(instant);
  }
}
