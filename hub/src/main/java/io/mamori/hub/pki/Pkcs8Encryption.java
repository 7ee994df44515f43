package io.mamori.hub.pki;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.SecureRandom;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.pkcs.PKCSException;

/**
 * Private keys as encrypted PKCS#8 PEM ({@code ENCRYPTED PRIVATE KEY}, RFC 5958 §3): PBES2 with
 * PBKDF2-HMAC-SHA256 and AES-256-CBC (RFC 8018 §6.2), the form {@code openssl pkcs8 -topk8 -v2
 * aes-256-cbc -v2prf hmacWithSHA256} writes and {@code openssl pkey -passin} reads.
 */
final class Pkcs8Encryption {
  /**
   * PBKDF2 rounds for an operator's passphrase. OWASP (2023) asks 600,000 for HMAC-SHA256 against
   * offline guessing of human passphrases; the cost is paid once per key at start-up (about half a
   * second each on a small machine).
   */
  static final int OPERATOR_ITERATIONS = 600_000;

  /**
   * PBKDF2 rounds for a generated passphrase: 256 random bits cannot be guessed, so stretching adds
   * nothing but start-up time. 2048 is OpenSSL's default.
   */
  static final int GENERATED_ITERATIONS = 2048;

  // BouncyCastle's provider (not registered globally): the JDK's own has no "PKCS7Padding" name,
  // which is how BouncyCastle asks for AES-CBC in PBES2.
  private static final Provider PROVIDER = new BouncyCastleProvider();

  private Pkcs8Encryption() {}

  /** What a key file holds. */
  sealed interface KeyFile {
    /** An {@code ENCRYPTED PRIVATE KEY} block. */
    record Encrypted(PKCS8EncryptedPrivateKeyInfo info) implements KeyFile {}

    /** A clear key ({@code PRIVATE KEY}, {@code EC PRIVATE KEY}, {@code RSA PRIVATE KEY}). */
    record Clear(PrivateKey key) implements KeyFile {}
  }

  /** Parses the first key block in {@code pem}, encrypted or clear. */
  static KeyFile parse(String pem) {
    try (PEMParser parser = new PEMParser(new StringReader(pem))) {
      for (Object block = parser.readObject(); block != null; block = parser.readObject()) {
        if (block instanceof PKCS8EncryptedPrivateKeyInfo info) {
          return new KeyFile.Encrypted(info);
        }
        if (block instanceof PrivateKeyInfo || block instanceof PEMKeyPair) {
          return new KeyFile.Clear(Pem.parsePrivateKey(pem));
        }
      }
    } catch (IOException | IllegalArgumentException e) {
      throw new PemFormatException("not a readable PEM private key: " + e.getMessage(), e);
    }
    throw new PemFormatException("no private key block found in PEM text");
  }

  /**
   * Decrypts; {@link CaKeyProtectionException} when the passphrase is wrong (AES-CBC padding or the
   * decrypted structure do not check out) or the algorithm is unsupported.
   */
  static PrivateKey decrypt(PKCS8EncryptedPrivateKeyInfo info, char[] passphrase)
      throws PKCSException {
    try {
      var decryptor =
          new JceOpenSSLPKCS8DecryptorProviderBuilder().setProvider(PROVIDER).build(passphrase);
      return new JcaPEMKeyConverter().getPrivateKey(info.decryptPrivateKeyInfo(decryptor));
    } catch (OperatorCreationException | IOException | RuntimeException e) {
      throw new PKCSException("cannot decrypt: " + e.getMessage(), e);
    }
  }

  static String encrypt(PrivateKey key, char[] passphrase, SecureRandom random, int iterations) {
    try {
      var encryptor =
          new JceOpenSSLPKCS8EncryptorBuilder(JcaPKCS8Generator.AES_256_CBC)
              .setPRF(JcaPKCS8Generator.PRF_HMACSHA256)
              .setIterationCount(iterations)
              .setRandom(random)
              .setProvider(PROVIDER)
              .setPassword(passphrase)
              .build();
      StringWriter text = new StringWriter();
      try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
        writer.writeObject(new JcaPKCS8Generator(key, encryptor));
      }
      return text.toString();
    } catch (OperatorCreationException e) {
      throw new IllegalStateException("PBES2 with AES-256-CBC is required by every JDK", e);
    } catch (IOException e) {
      throw new UncheckedIOException("writing to a string cannot fail", e);
    }
  }
}
