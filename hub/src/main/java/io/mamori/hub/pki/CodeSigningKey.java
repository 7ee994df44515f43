package io.mamori.hub.pki;

import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hub's firmware signing key: ECDSA P-256, signatures SHA256withECDSA in DER (the {@code
 * sig-sha256-ecdsa} of reference §3.6). It is a key of its own, never a CA key, so that a leaked
 * firmware key cannot mint device or server certificates and the CA key never signs code. Stored in
 * the CA folder as {@code code-signing.key} (encrypted under the CA passphrase, like the CA keys)
 * and {@code code-signing.crt} (public, for devices to pin).
 */
public final class CodeSigningKey {
  private static final Logger LOG = LoggerFactory.getLogger(CodeSigningKey.class);
  static final String KEY_FILE = "code-signing.key";
  static final String CERTIFICATE_FILE = "code-signing.crt";
  public static final String ALGORITHM = "SHA256withECDSA";
  private static final Duration VALIDITY = Duration.ofDays(3650);

  private final PrivateKey key;
  private final X509Certificate certificate;

  private CodeSigningKey(PrivateKey key, X509Certificate certificate) {
    this.key = key;
    this.certificate = certificate;
  }

  /**
   * Loads the key of {@code pkiDir}, or creates it on the first start. Call after the CA was
   * loaded: the CA resolves (or generates) the passphrase both share.
   */
  public static CodeSigningKey loadOrCreate(Path pkiDir, CaKeyProtection protection, Clock clock) {
    SecureRandom random = new SecureRandom();
    PkiDirectory dir = new PkiDirectory(pkiDir);
    dir.prepare();
    new PassphraseChange(dir, protection.generatedPassphraseFile(), random).finishInterrupted();
    CaKeyFiles keys =
        new CaKeyFiles(dir, protection.passphrase(), protection.generatedPassphraseFile(), random);
    Optional<String> certificatePem = dir.read(CERTIFICATE_FILE);
    if (certificatePem.isPresent()) {
      X509Certificate certificate;
      try {
        certificate = Pem.parseCertificate(certificatePem.get());
      } catch (PemFormatException e) {
        throw new CertificateAuthorityException(
            "cannot read " + CERTIFICATE_FILE + ": " + e.getMessage(), e);
      }
      PrivateKey key =
          keys.read(KEY_FILE)
              .orElseThrow(
                  () ->
                      new CertificateAuthorityException(
                          CERTIFICATE_FILE + " exists but " + KEY_FILE + " is missing"));
      CodeSigningKey loaded = new CodeSigningKey(key, certificate);
      loaded.requirePair(random);
      return loaded;
    }
    CertificateSigner signer = new CertificateSigner(random);
    KeyPair pair = signer.generateEcP256();
    Instant now = clock.instant();
    X509Certificate certificate =
        signer.selfSignedCodeSigning(
            pair,
            new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.O, "Mamori")
                .addRDN(BCStyle.CN, "Mamori Firmware Signing")
                .build(),
            now.minus(CertificateAuthority.BACKDATE),
            now.plus(VALIDITY));
    keys.write(KEY_FILE, pair.getPrivate());
    dir.writePublic(CERTIFICATE_FILE, Pem.encodeCertificate(certificate));
    LOG.info("code-signing key created certId={}", CertificateIds.of(certificate));
    return new CodeSigningKey(pair.getPrivate(), certificate);
  }

  /** The DER ECDSA signature of SHA-256 over {@code content}. */
  public byte[] sign(byte[] content) {
    try {
      Signature signature = Signature.getInstance(ALGORITHM);
      signature.initSign(key);
      signature.update(content);
      return signature.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign with the code-signing key", e);
    }
  }

  /** Whether {@code signature} is this key's signature over {@code content}. */
  public static boolean verifies(PublicKey key, byte[] content, byte[] signature) {
    try {
      Signature verifier = Signature.getInstance(ALGORITHM);
      verifier.initVerify(key);
      verifier.update(content);
      return verifier.verify(signature);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return false; // a malformed signature is a wrong one
    }
  }

  public X509Certificate certificate() {
    return certificate;
  }

  public PublicKey publicKey() {
    return certificate.getPublicKey();
  }

  private void requirePair(SecureRandom random) {
    byte[] challenge = new byte[32];
    random.nextBytes(challenge);
    if (!(publicKey() instanceof ECPublicKey)
        || !verifies(publicKey(), challenge, sign(challenge))) {
      throw new CertificateAuthorityException(
          KEY_FILE + " does not match the EC public key in " + CERTIFICATE_FILE);
    }
  }
}
