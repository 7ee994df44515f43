package io.mamori.hub.pki;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Optional;
import org.bouncycastle.pkcs.PKCSException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every private key file of the CA folder is read and written here, and only here: root, issuing
 * CA, OCSP signer, the hub's TLS key. Keys are stored as encrypted PKCS#8 (see {@link
 * Pkcs8Encryption}) under the CA passphrase; a clear key left by an older version is encrypted in
 * place the first time it is read. A key that cannot be decrypted stops the hub: there is no
 * fallback to a clear copy.
 *
 * <p>The passphrase comes from the operator ({@code MAMORI_CA_PASSPHRASE} or a file), or else from
 * {@code DIR/ca-passphrase}, which is generated when the CA folder holds no encrypted key yet, so
 * that the first start stays one command. Keys are then protected by file permissions only, and
 * every start says so.
 */
final class CaKeyFiles {
  private static final Logger LOG = LoggerFactory.getLogger(CaKeyFiles.class);
  private static final String ENCRYPTED_HEADER = "-----BEGIN ENCRYPTED PRIVATE KEY-----";

  private final PkiDirectory dir;
  private final Optional<CaPassphrase> given;
  private final Path generatedPassphraseFile;
  private final SecureRandom random;
  private CaPassphrase passphrase; // resolved on first use, see passphrase()

  CaKeyFiles(
      PkiDirectory dir,
      Optional<CaPassphrase> given,
      Path generatedPassphraseFile,
      SecureRandom random) {
    this.dir = dir;
    this.given = given;
    this.generatedPassphraseFile = generatedPassphraseFile;
    this.random = random;
  }

  boolean exists(String name) {
    return dir.exists(name);
  }

  /** The key in {@code name}, empty when there is no such file. */
  synchronized Optional<PrivateKey> read(String name) {
    Optional<String> pem = dir.read(name);
    if (pem.isEmpty()) {
      return Optional.empty();
    }
    Pkcs8Encryption.KeyFile file;
    try {
      file = Pkcs8Encryption.parse(pem.get());
    } catch (PemFormatException e) {
      throw new CertificateAuthorityException("cannot read " + name + ": " + e.getMessage(), e);
    }
    if (file instanceof Pkcs8Encryption.KeyFile.Clear clear) {
      write(name, clear.key());
      LOG.warn(
          "clear private key encrypted in place file={} passphraseFrom={}",
          dir.path().resolve(name),
          passphrase().origin());
      return Optional.of(clear.key());
    }
    var encrypted = (Pkcs8Encryption.KeyFile.Encrypted) file;
    CaPassphrase secret = passphrase();
    char[] chars = secret.chars();
    try {
      return Optional.of(Pkcs8Encryption.decrypt(encrypted.info(), chars));
    } catch (PKCSException e) {
      throw new CaKeyProtectionException(
          "cannot decrypt "
              + dir.path().resolve(name)
              + " with the CA passphrase from "
              + secret.origin()
              + ": wrong passphrase or damaged file; the hub does not start with CA keys it"
              + " cannot unlock",
          e);
    } finally {
      Arrays.fill(chars, '\0');
    }
  }

  /** Writes {@code key} encrypted, owner-only, replacing the file atomically. */
  synchronized void write(String name, PrivateKey key) {
    CaPassphrase secret = passphrase();
    char[] chars = secret.chars();
    try {
      dir.writeOwnerOnly(name, Pkcs8Encryption.encrypt(key, chars, random, secret.iterations()));
    } finally {
      Arrays.fill(chars, '\0');
    }
  }

  /** Where the passphrase in use came from (never the value). */
  synchronized String passphraseOrigin() {
    return passphrase().origin();
  }

  private CaPassphrase passphrase() {
    if (passphrase == null) {
      passphrase = resolvePassphrase();
    }
    return passphrase;
  }

  private CaPassphrase resolvePassphrase() {
    if (given.isPresent()) {
      if (Files.exists(generatedPassphraseFile)) {
        LOG.warn(
            "CA passphrase given by {}; ignoring {} (delete it once the keys open with the"
                + " given passphrase)",
            given.get().origin(),
            generatedPassphraseFile);
      }
      return given.get();
    }
    if (Files.exists(generatedPassphraseFile)) {
      CaPassphrase stored = CaPassphrase.generated(generatedPassphraseFile);
      warnFilePermissionsOnly();
      return stored;
    }
    Optional<String> encrypted = anyEncryptedKey();
    if (encrypted.isPresent()) {
      throw new CaKeyProtectionException(
          "CA private key "
              + dir.path().resolve(encrypted.get())
              + " is encrypted and no passphrase was given: set "
              + CaPassphrase.ENVIRONMENT_VARIABLE
              + " or pass --ca-passphrase-file FILE");
    }
    String value = CaPassphrase.generateValue(random);
    new PkiDirectory(generatedPassphraseFile.getParent())
        .writeOwnerOnly(generatedPassphraseFile.getFileName().toString(), value + "\n");
    LOG.info("CA passphrase generated file={}", generatedPassphraseFile);
    warnFilePermissionsOnly();
    return CaPassphrase.generated(generatedPassphraseFile);
  }

  private void warnFilePermissionsOnly() {
    LOG.warn(
        "CA KEYS ARE PROTECTED BY FILE PERMISSIONS ONLY: their passphrase is in {}, in the"
            + " same data directory. To protect them with a secret kept elsewhere, move that file"
            + " out of the data directory and start with --ca-passphrase-file FILE (or export {}"
            + " with its content).",
        generatedPassphraseFile,
        CaPassphrase.ENVIRONMENT_VARIABLE);
  }

  /** The first key file (*.key) of the folder that is encrypted. */
  private Optional<String> anyEncryptedKey() {
    for (String name : dir.list("*.key")) {
      if (dir.read(name).map(pem -> pem.contains(ENCRYPTED_HEADER)).orElse(false)) {
        return Optional.of(name);
      }
    }
    return Optional.empty();
  }
}
