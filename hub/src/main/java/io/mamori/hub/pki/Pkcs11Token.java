package io.mamori.hub.pki;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.Security;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Optional;
import java.util.UUID;

/**
 * A PKCS#11 token (an HSM, a smart card, SoftHSM2) holding the issuing CA's private key, used
 * through the JDK's SunPKCS11 provider. The key is generated inside the token as sensitive and not
 * extractable (PKCS#11 v2.40 §4.9: CKA_SENSITIVE, CKA_EXTRACTABLE), so signing happens in the token
 * and the key never leaves it.
 *
 * <p>The provider is added to the JCA provider list so that every signer of the hub (certificates,
 * CRLs, OCSP) finds it by the key, without being told about PKCS#11.
 */
public final class Pkcs11Token {
  /** The alias (CKA_LABEL) of the issuing CA's key in the token. */
  static final String ISSUING_ALIAS = "mamori-issuing-ca";

  private final Provider provider;
  private final KeyStore keyStore;
  private final String description;

  private Pkcs11Token(Provider provider, KeyStore keyStore, String description) {
    this.provider = provider;
    this.keyStore = keyStore;
    this.description = description;
  }

  /**
   * Opens the token in {@code slot} of the PKCS#11 {@code library} and logs in with the PIN in
   * {@code pinFile}.
   */
  public static Pkcs11Token open(Path library, long slot, Path pinFile) {
    if (!Files.isReadable(library)) {
      throw new CaKeyProtectionException("PKCS#11 library " + library + " is not readable");
    }
    String config =
        "name = Mamori-"
            + UUID.randomUUID().toString().substring(0, 8)
            + "\nlibrary = "
            + library.toAbsolutePath()
            + "\nslot = "
            + slot
            // Keys made or imported here may sign but never be read out of the token.
            + "\nattributes(*, CKO_PRIVATE_KEY, *) = {\n  CKA_SENSITIVE = true\n"
            + "  CKA_EXTRACTABLE = false\n}\n";
    return open("--" + config, pinFile, library + " slot " + slot);
  }

  /** Opens the token a SunPKCS11 configuration file describes (for options beyond the slot). */
  public static Pkcs11Token openWithConfig(Path sunPkcs11Config, Path pinFile) {
    if (!Files.isReadable(sunPkcs11Config)) {
      throw new CaKeyProtectionException(
          "SunPKCS11 configuration " + sunPkcs11Config + " is not readable");
    }
    return open(sunPkcs11Config.toAbsolutePath().toString(), pinFile, "config " + sunPkcs11Config);
  }

  private static Pkcs11Token open(String config, Path pinFile, String description) {
    char[] pin = readPin(pinFile);
    try {
      Provider base = Security.getProvider("SunPKCS11");
      if (base == null) {
        throw new CaKeyProtectionException("this JDK has no SunPKCS11 provider");
      }
      Provider provider;
      try {
        provider = base.configure(config);
      } catch (RuntimeException e) {
        throw new CaKeyProtectionException(
            "cannot open PKCS#11 token " + description + ": " + rootMessage(e), e);
      }
      KeyStore keyStore;
      try {
        keyStore = KeyStore.getInstance("PKCS11", provider);
        keyStore.load(null, pin);
      } catch (GeneralSecurityException | IOException | RuntimeException e) {
        throw new CaKeyProtectionException(
            "cannot log in to PKCS#11 token "
                + description
                + " with the PIN from "
                + pinFile
                + ": "
                + rootMessage(e),
            e);
      }
      Security.addProvider(provider);
      return new Pkcs11Token(provider, keyStore, description);
    } finally {
      Arrays.fill(pin, '\0');
    }
  }

  private static char[] readPin(Path pinFile) {
    try {
      String text = Files.readString(pinFile).strip();
      if (text.isEmpty()) {
        throw new CaKeyProtectionException("PKCS#11 PIN file " + pinFile + " is empty");
      }
      return text.toCharArray();
    } catch (IOException e) {
      throw new CaKeyProtectionException("cannot read PKCS#11 PIN file " + pinFile + ": " + e, e);
    }
  }

  /** The private key stored under {@code alias}, a handle to an object inside the token. */
  Optional<PrivateKey> privateKey(String alias) {
    try {
      return Optional.ofNullable((PrivateKey) keyStore.getKey(alias, null));
    } catch (GeneralSecurityException e) {
      throw new CaKeyProtectionException(
          "cannot read key " + alias + " from PKCS#11 token " + description + ": " + e, e);
    }
  }

  /** A new EC P-256 key pair generated inside the token (a session object until stored). */
  KeyPair generateEcP256() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", provider);
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new CaKeyProtectionException(
          "cannot generate an EC P-256 key in PKCS#11 token " + description + ": " + e, e);
    }
  }

  /** Makes {@code key} a token object under {@code alias}, with its certificate chain. */
  void store(String alias, PrivateKey key, X509Certificate... chain) {
    try {
      keyStore.setKeyEntry(
          alias, key, null, Arrays.copyOf(chain, chain.length, Certificate[].class));
    } catch (GeneralSecurityException e) {
      throw new CaKeyProtectionException(
          "cannot store key " + alias + " in PKCS#11 token " + description + ": " + e, e);
    }
  }

  /** Removes a key the hub generated but could not finish setting up. */
  void delete(String alias) {
    try {
      if (keyStore.containsAlias(alias)) {
        keyStore.deleteEntry(alias);
      }
    } catch (GeneralSecurityException e) {
      throw new CaKeyProtectionException(
          "cannot delete key " + alias + " from PKCS#11 token " + description + ": " + e, e);
    }
  }

  /** E.g. {@code /usr/lib/softhsm/libsofthsm2.so slot 42}. */
  public String description() {
    return description;
  }

  private static String rootMessage(Throwable e) {
    Throwable cause = e;
    while (cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + cause + ")";
  }

  @Override
  public String toString() {
    return "Pkcs11Token[" + description + "]";
  }
}
