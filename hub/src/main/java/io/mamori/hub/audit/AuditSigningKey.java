package io.mamori.hub.audit;

import io.mamori.hub.pki.Pem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The hub audit key: an ECDSA P-256 key that signs audit checkpoints. It is not the CA key (a
 * compromise of one must not forge the other), lives in {@code DIR/audit-key/} readable by the
 * owner only, and comes with a self-signed certificate that is also exported beside the log so that
 * anyone holding a trusted copy of it can verify checkpoints offline.
 */
public final class AuditSigningKey {
  static final String KEY_FILE = "audit-signing.key";
  static final String CERTIFICATE_FILE = "audit-signing.crt";
  private static final String ALGORITHM = "SHA256withECDSA";

  private final PrivateKey privateKey;
  private final X509Certificate certificate;

  private AuditSigningKey(PrivateKey privateKey, X509Certificate certificate) {
    this.privateKey = privateKey;
    this.certificate = certificate;
  }

  /** Loads the key from {@code keyDir}, creating it (0600, directory 0700) on first start. */
  public static AuditSigningKey loadOrCreate(Path keyDir, Clock clock) {
    Path keyFile = keyDir.resolve(KEY_FILE);
    Path certFile = keyDir.resolve(CERTIFICATE_FILE);
    try {
      if (Files.exists(keyFile)) {
        return new AuditSigningKey(
            Pem.parsePrivateKey(Files.readString(keyFile)),
            Pem.parseCertificate(Files.readString(certFile)));
      }
      if (!Files.isDirectory(keyDir)) {
        Files.createDirectories(
            keyDir,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      }
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
      KeyPair pair = generator.generateKeyPair();
      X509Certificate certificate = selfSigned(pair, clock.instant());
      // Certificate first: a key file without its certificate would make the next start fail.
      writeAtomically(certFile, Pem.encodeCertificate(certificate), "rw-r--r--");
      writeAtomically(keyFile, Pem.encodePrivateKey(pair.getPrivate()), "rw-------");
      return new AuditSigningKey(pair.getPrivate(), certificate);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot load or create the audit key in " + keyDir, e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot create the audit key", e);
    }
  }

  public X509Certificate certificate() {
    return certificate;
  }

  /** Hex SHA-256 of the public key (SubjectPublicKeyInfo DER), named in every checkpoint. */
  public String keyId() {
    return keyId(certificate.getPublicKey());
  }

  static String keyId(PublicKey key) {
    return AuditCodec.sha256(key.getEncoded());
  }

  /** Base64 DER ECDSA signature over {@link #checkpointMessage}. */
  String sign(long upToSeq, String upToHash) {
    try {
      Signature signature = Signature.getInstance(ALGORITHM);
      signature.initSign(privateKey);
      signature.update(checkpointMessage(upToSeq, upToHash));
      return Base64.getEncoder().encodeToString(signature.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign an audit checkpoint", e);
    }
  }

  /** Whether {@code signatureBase64} is {@code key}'s signature of the chain up to that record. */
  static boolean verify(PublicKey key, long upToSeq, String upToHash, String signatureBase64) {
    try {
      Signature signature = Signature.getInstance(ALGORITHM);
      signature.initVerify(key);
      signature.update(checkpointMessage(upToSeq, upToHash));
      return signature.verify(Base64.getDecoder().decode(signatureBase64));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return false;
    }
  }

  /**
   * What a checkpoint signs: a fixed label (so the signature cannot be replayed as anything else),
   * the sequence number and the hash of the last record it covers. The hash commits to every record
   * before it through the chain.
   */
  static byte[] checkpointMessage(long upToSeq, String upToHash) {
    return ("mamori-audit-checkpoint/1\n" + upToSeq + "\n" + upToHash + "\n")
        .getBytes(StandardCharsets.US_ASCII);
  }

  private static X509Certificate selfSigned(KeyPair pair, Instant now)
      throws GeneralSecurityException {
    X500Name name = new X500Name("CN=Mamori hub audit key");
    var builder =
        new JcaX509v3CertificateBuilder(
            name,
            new BigInteger(64, new SecureRandom()).abs().add(BigInteger.ONE),
            Date.from(now.minus(Duration.ofMinutes(5))),
            Date.from(now.plus(Duration.ofDays(3650))),
            name,
            pair.getPublic());
    try {
      var signer = new JcaContentSignerBuilder(ALGORITHM).build(pair.getPrivate());
      return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
    } catch (OperatorCreationException e) {
      throw new IllegalStateException("cannot self-sign the audit key certificate", e);
    }
  }

  private static void writeAtomically(Path file, String text, String permissions)
      throws IOException {
    Path temp =
        Files.createTempFile(
            file.getParent(),
            "." + file.getFileName(),
            ".tmp",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(permissions)));
    try {
      Files.writeString(temp, text, StandardCharsets.US_ASCII);
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(temp);
    }
  }
}
