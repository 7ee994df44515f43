package io.mamori.hub.pki;

import java.nio.file.Path;
import java.util.Optional;

/**
 * How the CA's private keys are protected: the passphrase their files are encrypted with, and
 * optionally a PKCS#11 token that holds the issuing CA's key instead of a file.
 *
 * @param passphrase the operator's passphrase; when empty, {@code generatedPassphraseFile} is used
 *     (and created for a new CA)
 * @param generatedPassphraseFile {@code DIR/ca-passphrase}
 * @param token the PKCS#11 token for the issuing CA key, if any
 */
public record CaKeyProtection(
    Optional<CaPassphrase> passphrase, Path generatedPassphraseFile, Optional<Pkcs11Token> token) {
  /** The name of the generated passphrase file in the data directory. */
  public static final String GENERATED_PASSPHRASE_FILE = "ca-passphrase";

  /** No operator passphrase, no token: the quick-start default for data directory {@code dir}. */
  public static CaKeyProtection defaultsFor(Path dataDir) {
    return new CaKeyProtection(
        Optional.empty(), dataDir.resolve(GENERATED_PASSPHRASE_FILE), Optional.empty());
  }
}
