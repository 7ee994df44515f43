package io.mamori.hub.pki;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;

/** Opens a CA key file as the hub does, for tests that must forge what the CA would sign. */
public final class CaKeyReader {
  private CaKeyReader() {}

  /**
   * The key in {@code keyFile}, encrypted under the passphrase the hub generated in its data dir.
   */
  public static PrivateKey read(Path keyFile, Path generatedPassphraseFile) throws Exception {
    var parsed = Pkcs8Encryption.parse(Files.readString(keyFile));
    if (parsed instanceof Pkcs8Encryption.KeyFile.Clear clear) {
      return clear.key();
    }
    var encrypted = (Pkcs8Encryption.KeyFile.Encrypted) parsed;
    return Pkcs8Encryption.decrypt(
        encrypted.info(), CaPassphrase.generated(generatedPassphraseFile).chars());
  }
}
