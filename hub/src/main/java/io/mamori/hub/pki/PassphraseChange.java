package io.mamori.hub.pki;

import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.pkcs.PKCSException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-encrypts every private key file of the CA folder ({@code *.key}: root, issuing CA, TLS server,
 * OCSP signer, code signing) under a new passphrase, all or nothing, for {@code mamori ca
 * change-passphrase} while the hub is stopped.
 *
 * <p>Order, so that a crash at any point leaves keys the hub can read with one passphrase:
 *
 * <ol>
 *   <li>every key is decrypted with the current passphrase; a wrong one stops here, nothing
 *       written;
 *   <li>each key is encrypted under the new passphrase into {@code NAME.key.next} (fsync, rename,
 *       fsync of the folder) and read back with the new passphrase;
 *   <li>the journal {@code passphrase-change.journal} naming those files is written the same way:
 *       this is the commit point;
 *   <li>each {@code .next} file is renamed over its key, then the generated passphrase file (if the
 *       old passphrase was that file) is deleted, then the journal.
 * </ol>
 *
 * Before reading any key, the hub and this command call {@link #finishInterrupted}: with a journal
 * the renames are finished (the change happened); without one, {@code .next} files are deleted (it
 * did not). Either way every key ends under one passphrase.
 */
public final class PassphraseChange {
  private static final Logger LOG = LoggerFactory.getLogger(PassphraseChange.class);

  static final String JOURNAL = "passphrase-change.journal";
  static final String NEXT = ".next";
  static final String HEADER = "mamori passphrase change 1";
  private static final String KEY_LINE = "key ";
  private static final String DELETE_GENERATED = "delete-generated-passphrase-file";

  private final PkiDirectory dir;
  private final Path generatedPassphraseFile;
  private final SecureRandom random;

  /**
   * @param pkiDir the CA folder, {@code DIR/pki}
   * @param generatedPassphraseFile {@code DIR/ca-passphrase}, see {@link CaKeyProtection}
   */
  public PassphraseChange(Path pkiDir, Path generatedPassphraseFile) {
    this(new PkiDirectory(pkiDir), generatedPassphraseFile, new SecureRandom());
  }

  PassphraseChange(PkiDirectory dir, Path generatedPassphraseFile, SecureRandom random) {
    this.dir = dir;
    this.generatedPassphraseFile = generatedPassphraseFile;
    this.random = random;
  }

  /**
   * What a change did.
   *
   * @param keyFiles the key files now under the new passphrase
   * @param currentOrigin where the old passphrase came from
   * @param generatedPassphraseRemoved whether {@code DIR/ca-passphrase} was deleted, because it
   *     held the old passphrase
   * @param finishedInterrupted whether an earlier change interrupted after its commit point was
   *     finished first
   */
  public record Result(
      List<String> keyFiles,
      String currentOrigin,
      boolean generatedPassphraseRemoved,
      boolean finishedInterrupted) {}

  /**
   * Re-encrypts every key under {@code next}. {@code current} is the operator's passphrase; when
   * empty, the generated one in {@code DIR/ca-passphrase}. Throws {@link CaKeyProtectionException}
   * naming the file when {@code current} does not open a key; nothing is changed then.
   */
  public Result change(Optional<CaPassphrase> current, CaPassphrase next) {
    if (!java.nio.file.Files.isDirectory(dir.path())) {
      throw new CertificateAuthorityException("no CA folder at " + dir.path());
    }
    boolean finished = finishInterrupted();
    CaPassphrase old = current.orElseGet(this::generatedPassphrase);
    List<String> names = dir.list("*.key");
    if (names.isEmpty()) {
      throw new CertificateAuthorityException("no private key files (*.key) in " + dir.path());
    }
    List<PrivateKey> keys = new ArrayList<>();
    for (String name : names) {
      keys.add(read(name, old));
    }
    boolean deleteGenerated = current.isEmpty();
    try {
      for (int i = 0; i < names.size(); i++) {
        writeNext(names.get(i), keys.get(i), next);
      }
    } catch (RuntimeException e) {
      names.forEach(name -> dir.delete(name + NEXT));
      throw e;
    }
    StringBuilder journal = new StringBuilder(HEADER).append('\n');
    names.forEach(name -> journal.append(KEY_LINE).append(name).append('\n'));
    if (deleteGenerated) {
      journal.append(DELETE_GENERATED).append('\n');
    }
    dir.writeOwnerOnly(JOURNAL, journal.toString());
    rollForward(journal.toString());
    LOG.info("CA passphrase changed keys={} from={} to={}", names, old.origin(), next.origin());
    return new Result(names, old.origin(), deleteGenerated, finished);
  }

  /**
   * Completes a change a crash interrupted after its commit point, or removes what one left before
   * it. Call before reading any key.
   *
   * @return true when an interrupted change was completed (keys now use its new passphrase)
   */
  boolean finishInterrupted() {
    Optional<String> journal = dir.read(JOURNAL);
    if (journal.isPresent()) {
      LOG.warn(
          "finishing an interrupted CA passphrase change file={}", dir.path().resolve(JOURNAL));
      rollForward(journal.get());
      return true;
    }
    for (String leftover : dir.list("*.key" + NEXT)) {
      LOG.warn(
          "removing a key re-encrypted by an interrupted passphrase change that never committed"
              + " file={}",
          dir.path().resolve(leftover));
      dir.delete(leftover);
    }
    return false;
  }

  private void rollForward(String journal) {
    List<String> lines = journal.lines().toList();
    if (lines.isEmpty() || !lines.get(0).equals(HEADER)) {
      throw new CaKeyProtectionException(
          dir.path().resolve(JOURNAL)
              + " is not a passphrase change journal this version can finish; restore the pki"
              + " folder from a backup");
    }
    for (String line : lines) {
      if (line.startsWith(KEY_LINE)) {
        String name = line.substring(KEY_LINE.length());
        dir.replace(name + NEXT, name);
      }
    }
    if (lines.contains(DELETE_GENERATED)) {
      // The old passphrase opens no key any more; a copy of it beside the keys helps no one.
      new PkiDirectory(generatedPassphraseFile.getParent())
          .delete(generatedPassphraseFile.getFileName().toString());
    }
    dir.delete(JOURNAL);
  }

  private CaPassphrase generatedPassphrase() {
    if (!java.nio.file.Files.exists(generatedPassphraseFile)) {
      throw new CaKeyProtectionException(
          "no current CA passphrase: give it with --passphrase-file FILE or "
              + CaPassphrase.ENVIRONMENT_VARIABLE
              + " ("
              + generatedPassphraseFile
              + " does not exist)");
    }
    return CaPassphrase.generated(generatedPassphraseFile);
  }

  private PrivateKey read(String name, CaPassphrase passphrase) {
    String pem = dir.read(name).orElseThrow();
    Pkcs8Encryption.KeyFile file;
    try {
      file = Pkcs8Encryption.parse(pem);
    } catch (PemFormatException e) {
      throw new CertificateAuthorityException(
          "cannot read " + dir.path().resolve(name) + ": " + e.getMessage(), e);
    }
    if (file instanceof Pkcs8Encryption.KeyFile.Clear clear) {
      return clear.key(); // an older version's clear key: encrypted for the first time now
    }
    char[] chars = passphrase.chars();
    try {
      return Pkcs8Encryption.decrypt(((Pkcs8Encryption.KeyFile.Encrypted) file).info(), chars);
    } catch (PKCSException e) {
      throw new CaKeyProtectionException(
          "cannot decrypt "
              + dir.path().resolve(name)
              + " with the current CA passphrase from "
              + passphrase.origin()
              + ": wrong passphrase or damaged file; nothing was changed",
          e);
    } finally {
      Arrays.fill(chars, '\0');
    }
  }

  /** Writes {@code NAME.next} and proves the new passphrase opens it to the same key. */
  private void writeNext(String name, PrivateKey key, CaPassphrase next) {
    char[] chars = next.chars();
    try {
      String pem = Pkcs8Encryption.encrypt(key, chars, random, next.iterations());
      dir.writeOwnerOnly(name + NEXT, pem);
      var written = Pkcs8Encryption.parse(dir.read(name + NEXT).orElseThrow());
      PrivateKey back =
          Pkcs8Encryption.decrypt(((Pkcs8Encryption.KeyFile.Encrypted) written).info(), chars);
      if (!sameKey(back, key)) {
        throw new CaKeyProtectionException(
            "re-encrypted " + name + " does not read back to the same key; nothing was changed");
      }
    } catch (PKCSException | RuntimeException e) {
      if (e instanceof CaKeyProtectionException protection) {
        throw protection;
      }
      throw new CaKeyProtectionException(
          "cannot re-encrypt " + name + ": " + e.getMessage() + "; nothing was changed", e);
    } finally {
      Arrays.fill(chars, '\0');
    }
  }

  private static boolean sameKey(PrivateKey a, PrivateKey b) {
    if (a instanceof ECPrivateKey ec && b instanceof ECPrivateKey other) {
      return ec.getS().equals(other.getS());
    }
    if (a instanceof RSAPrivateKey rsa && b instanceof RSAPrivateKey other) {
      return rsa.getModulus().equals(other.getModulus())
          && rsa.getPrivateExponent().equals(other.getPrivateExponent());
    }
    return Arrays.equals(a.getEncoded(), b.getEncoded());
  }
}
