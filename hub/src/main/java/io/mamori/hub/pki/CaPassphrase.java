package io.mamori.hub.pki;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

/**
 * The passphrase that encrypts the CA's private keys at rest, and where it came from (for error
 * messages: the value itself is never printed; {@link #toString()} names only the origin).
 */
public final class CaPassphrase {
  /** Environment variable an operator sets the passphrase in. */
  public static final String ENVIRONMENT_VARIABLE = "MAMORI_CA_PASSPHRASE";

  private final char[] value;
  private final String origin;
  private final boolean generated;

  private CaPassphrase(char[] value, String origin) {
    this(value, origin, false);
  }

  private CaPassphrase(char[] value, String origin, boolean generated) {
    if (value.length == 0) {
      throw new CaKeyProtectionException("the CA passphrase from " + origin + " is empty");
    }
    this.value = value;
    this.origin = origin;
    this.generated = generated;
  }

  /** The value of {@code MAMORI_CA_PASSPHRASE}. */
  public static CaPassphrase fromEnvironment(String value) {
    return new CaPassphrase(value.toCharArray(), "env " + ENVIRONMENT_VARIABLE);
  }

  /** The value of another environment variable, e.g. the new passphrase of a change. */
  public static CaPassphrase fromEnvironmentVariable(String name, String value) {
    return new CaPassphrase(value.toCharArray(), "env " + name);
  }

  /**
   * The first line of {@code file} (a trailing newline, as {@code echo} writes, is not part of the
   * passphrase).
   */
  public static CaPassphrase fromFile(Path file) {
    return fromFile(file, "file " + file);
  }

  static CaPassphrase fromFile(Path file, String origin) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new CaKeyProtectionException("CA passphrase file " + file + " does not exist");
    } catch (IOException e) {
      throw new CaKeyProtectionException("cannot read CA passphrase file " + file + ": " + e, e);
    }
    int end = text.indexOf('\n');
    String line = end < 0 ? text : text.substring(0, end);
    if (line.endsWith("\r")) {
      line = line.substring(0, line.length() - 1);
    }
    return new CaPassphrase(line.toCharArray(), origin);
  }

  /** 32 random bytes, base64url: as strong as the AES-256 key it protects. */
  static String generateValue(SecureRandom random) {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** The passphrase the hub generated into {@code file} (now or at an earlier start). */
  static CaPassphrase generated(Path file) {
    CaPassphrase read = fromFile(file, "generated file " + file);
    return new CaPassphrase(read.value, read.origin, true);
  }

  /** PBKDF2 rounds worth spending on this passphrase (see {@link Pkcs8Encryption}). */
  int iterations() {
    return generated ? Pkcs8Encryption.GENERATED_ITERATIONS : Pkcs8Encryption.OPERATOR_ITERATIONS;
  }

  /** A copy of the secret; callers clear it when done. */
  char[] chars() {
    return Arrays.copyOf(value, value.length);
  }

  /** Where the passphrase came from, e.g. {@code env MAMORI_CA_PASSPHRASE}. */
  public String origin() {
    return origin;
  }

  @Override
  public String toString() {
    return "CaPassphrase[" + origin + "]";
  }
}
