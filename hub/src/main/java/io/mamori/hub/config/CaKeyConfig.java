package io.mamori.hub.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * How the CA's private keys are unlocked: a passphrase (from {@code MAMORI_CA_PASSPHRASE} or a
 * file) for the encrypted key files, and optionally a PKCS#11 token for the issuing CA's key. With
 * neither, the hub generates a passphrase into the data directory on first start.
 *
 * @param passphrase the passphrase itself (from the environment); never printed
 * @param passphraseFile a file whose first line is the passphrase; wins over {@code passphrase}
 * @param pkcs11Library the PKCS#11 module, e.g. {@code /usr/lib/softhsm/libsofthsm2.so}
 * @param pkcs11Slot the token's slot id in that module
 * @param pkcs11Config a SunPKCS11 configuration file, instead of library and slot
 * @param pkcs11PinFile the file holding the token's user PIN
 */
public record CaKeyConfig(
    Optional<String> passphrase,
    Optional<Path> passphraseFile,
    Optional<Path> pkcs11Library,
    Optional<Long> pkcs11Slot,
    Optional<Path> pkcs11Config,
    Optional<Path> pkcs11PinFile) {

  public CaKeyConfig {
    boolean byLibrary = pkcs11Library.isPresent() || pkcs11Slot.isPresent();
    if (byLibrary && pkcs11Config.isPresent()) {
      throw new IllegalArgumentException(
          "give either --ca-pkcs11-library with --ca-pkcs11-slot, or --ca-pkcs11-config, not both");
    }
    if (byLibrary && (pkcs11Library.isEmpty() || pkcs11Slot.isEmpty())) {
      throw new IllegalArgumentException(
          "--ca-pkcs11-library and --ca-pkcs11-slot must be given together");
    }
    if ((byLibrary || pkcs11Config.isPresent()) != pkcs11PinFile.isPresent()) {
      throw new IllegalArgumentException(
          "--ca-pkcs11-pin-file goes with --ca-pkcs11-library/--ca-pkcs11-slot or"
              + " --ca-pkcs11-config");
    }
  }

  /** No passphrase given, no token: the quick-start default. */
  public static CaKeyConfig none() {
    return new CaKeyConfig(
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty());
  }

  public boolean usesPkcs11() {
    return pkcs11PinFile.isPresent();
  }

  /** Never the passphrase itself. */
  @Override
  public String toString() {
    return "CaKeyConfig[passphrase="
        + (passphrase.isPresent() ? "(from environment)" : "none")
        + ", passphraseFile="
        + passphraseFile
        + ", pkcs11Library="
        + pkcs11Library
        + ", pkcs11Slot="
        + pkcs11Slot
        + ", pkcs11Config="
        + pkcs11Config
        + ", pkcs11PinFile="
        + pkcs11PinFile
        + "]";
  }
}
