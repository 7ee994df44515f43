package io.mamori.hub.cli;

import io.mamori.hub.config.CaKeyConfig;
import io.mamori.hub.config.HubConfig;
import io.mamori.hub.pki.CaKeyProtection;
import io.mamori.hub.pki.CaPassphrase;
import io.mamori.hub.pki.Pkcs11Token;
import java.util.Optional;

/** Turns the CA key settings of the configuration into the CA's key protection at start-up. */
final class CaKeys {
  private CaKeys() {}

  /** Reads the passphrase file and opens the PKCS#11 token, if configured. */
  static CaKeyProtection protection(HubConfig config) {
    CaKeyConfig keys = config.caKeys();
    Optional<CaPassphrase> passphrase =
        keys.passphraseFile()
            .map(CaPassphrase::fromFile)
            .or(() -> keys.passphrase().map(CaPassphrase::fromEnvironment));
    Optional<Pkcs11Token> token = Optional.empty();
    if (keys.usesPkcs11()) {
      token =
          Optional.of(
              keys.pkcs11Config().isPresent()
                  ? Pkcs11Token.openWithConfig(
                      keys.pkcs11Config().get(), keys.pkcs11PinFile().get())
                  : Pkcs11Token.open(
                      keys.pkcs11Library().get(),
                      keys.pkcs11Slot().get(),
                      keys.pkcs11PinFile().get()));
    }
    CaKeyProtection defaults = CaKeyProtection.defaultsFor(config.dataDir());
    return new CaKeyProtection(passphrase, defaults.generatedPassphraseFile(), token);
  }
}
