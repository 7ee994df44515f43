package io.mamori.hub.pki;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Builds and signs the X.509 certificates of the hub's CA: root, issuing CA and end-entity (server
 * and device) certificates, with the extensions RFC 5280 asks of each.
 */
final class CertificateSigner {
  private final SecureRandom random;
  private final SignatureProvider software;
  // BouncyCastle's X.509 parser, not the JDK's: it reads the certificate just signed lazily,
  // about 40 us less per certificate than sun.security.x509 decoding every extension. One factory
  // per signing thread: looking it up per certificate (provider list, class loading), as
  // JcaX509CertificateConverter does, cost a third of the parse itself; a factory keeps state
  // between calls, so threads do not share one.
  private final BouncyCastleProvider parser = new BouncyCastleProvider();
  private final ThreadLocal<CertificateFactory> factories =
      ThreadLocal.withInitial(this::newCertificateFactory);
  // The last issuer seen (in practice always the issuing CA); replaced whole, so no lock.
  private volatile IssuerParts lastIssuer;

  CertificateSigner(SecureRandom random) {
    this(random, SignatureProvider.preferred());
  }

  /** {@code software} signs with software keys; a token's key signs with its token's provider. */
  CertificateSigner(SecureRandom random, SignatureProvider software) {
    this.random = random;
    this.software = software;
  }

  /** The provider that signs with software keys. */
  SignatureProvider software() {
    return software;
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
    return issuingCa(subjectKey, subject, root, rootKey, notBefore, notAfter, List.of());
  }

  /** As above, plus {@code extra} extensions (revocation pointers, see {@link PublicationUrls}). */
  X509Certificate issuingCa(
      PublicKey subjectKey,
      X500Name subject,
      X509Certificate root,
      PrivateKey rootKey,
      Instant notBefore,
      Instant notAfter,
      List<Extension> extra) {
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
      for (Extension extension : extra) {
        builder.addExtension(extension);
      }
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
    return endEntity(
        subjectKey,
        subject,
        issuer,
        issuerKey,
        notBefore,
        notAfter,
        purpose,
        subjectAlternativeNames,
        List.of());
  }

  /** As above, plus {@code extra} extensions (revocation pointers, OCSP no-check). */
  X509Certificate endEntity(
      PublicKey subjectKey,
      X500Name subject,
      X509Certificate issuer,
      PrivateKey issuerKey,
      Instant notBefore,
      Instant notAfter,
      KeyPurposeId purpose,
      Optional<GeneralNames> subjectAlternativeNames,
      List<Extension> extra) {
    try {
      // Bulk issuance signs thousands of these a second: what depends on the issuer only is
      // computed once, and times are encoded without java.text (see CertificateTimes).
      IssuerParts parts = issuerParts(issuer);
      // Encoded once: a Conscrypt key (the CSR path) encodes itself anew on every getEncoded(),
      // and the subject key identifier below hashes the same bytes.
      SubjectPublicKeyInfo subjectKeyInfo =
          SubjectPublicKeyInfo.getInstance(subjectKey.getEncoded());
      X509v3CertificateBuilder builder =
          new X509v3CertificateBuilder(
              parts.name(),
              randomSerial(),
              CertificateTimes.of(notBefore),
              CertificateTimes.of(notAfter),
              subject,
              subjectKeyInfo);
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      int usage = KeyUsage.digitalSignature;
      if ("RSA".equals(subjectKey.getAlgorithm())) {
        usage |= KeyUsage.keyEncipherment;
      }
      builder.addExtension(Extension.keyUsage, true, new KeyUsage(usage));
      builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
      builder.addExtension(
          Extension.subjectKeyIdentifier,
          false,
          new JcaX509ExtensionUtils().createSubjectKeyIdentifier(subjectKeyInfo));
      builder.addExtension(parts.authorityKeyIdentifier());
      if (subjectAlternativeNames.isPresent()) {
        builder.addExtension(
            Extension.subjectAlternativeName, false, subjectAlternativeNames.get());
      }
      for (Extension extension : extra) {
        builder.addExtension(extension);
      }
      return sign(builder, issuerKey);
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot build end-entity certificate", e);
    }
  }

  /**
   * A self-signed end-entity certificate for code signing (RFC 5280 §4.2.1.12 id-kp-codeSigning):
   * it only carries the firmware signing key so devices can pin it; it is no CA and signs nothing
   * else.
   */
  X509Certificate selfSignedCodeSigning(
      KeyPair keys, X500Name subject, Instant notBefore, Instant notAfter) {
    try {
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
              subject, randomSerial(), date(notBefore), date(notAfter), subject, keys.getPublic());
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
      builder.addExtension(
          Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_codeSigning));
      builder.addExtension(
          Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()));
      return sign(builder, keys.getPrivate());
    } catch (GeneralSecurityException | CertIOException e) {
      throw new IllegalStateException("cannot build the code-signing certificate", e);
    }
  }

  /** What an end-entity certificate takes from its issuer. */
  private record IssuerParts(
      X509Certificate certificate, X500Name name, Extension authorityKeyIdentifier) {}

  private IssuerParts issuerParts(X509Certificate issuer)
      throws GeneralSecurityException, IOException {
    IssuerParts parts = lastIssuer;
    if (parts != null && parts.certificate() == issuer) {
      return parts;
    }
    parts =
        new IssuerParts(
            issuer,
            X500Name.getInstance(issuer.getSubjectX500Principal().getEncoded()),
            new Extension(
                Extension.authorityKeyIdentifier,
                false,
                new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(issuer).getEncoded()));
    lastIssuer = parts;
    return parts;
  }

  private X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signingKey)
      throws CertificateException {
    try {
      var signerBuilder = new JcaContentSignerBuilder(signatureAlgorithm(signingKey));
      if (software.signsWith(signingKey)) {
        // Bulk issuance is bound by ECDSA: see SignatureProvider for the figures. A key in a
        // PKCS#11 token has no PKCS#8 form and keeps to its token's provider.
        signerBuilder.setProvider(software.provider());
      }
      var signer = signerBuilder.build(signingKey);
      byte[] der = builder.build(signer).getEncoded();
      return (X509Certificate) factories.get().generateCertificate(new ByteArrayInputStream(der));
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode the certificate just signed", e);
    } catch (OperatorCreationException e) {
      throw new IllegalStateException("cannot sign with " + signingKey.getAlgorithm() + " key", e);
    }
  }

  private CertificateFactory newCertificateFactory() {
    try {
      return CertificateFactory.getInstance("X.509", parser);
    } catch (CertificateException e) {
      throw new IllegalStateException("BouncyCastle reads X.509 certificates", e);
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
