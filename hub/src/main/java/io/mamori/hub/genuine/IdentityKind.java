package io.mamori.hub.genuine;

import io.mamori.hub.registry.RegistryException;
import java.util.Locale;
import java.util.regex.Pattern;

/** What a manufacturer's genuine device identity is: a serial, a hardware id or a key hash. */
public enum IdentityKind {
  SERIAL_NUMBER("SerialNumber"),
  HARDWARE_ID("HardwareId"),
  /** SHA-256 of the device public key's DER SubjectPublicKeyInfo, lowercase hex. */
  PUBLIC_KEY_SHA256("PublicKeySha256");

  /** Longest identity value accepted; serials and hardware ids are short. */
  static final int MAX_VALUE_LENGTH = 256;

  private static final Pattern HEX_64 = Pattern.compile("[0-9a-f]{64}");

  private final String wireName;

  IdentityKind(String wireName) {
    this.wireName = wireName;
  }

  /** The name in templates, files and the API, e.g. {@code SerialNumber}. */
  public String wireName() {
    return wireName;
  }

  /**
   * Accepts the wire name in any case, with or without separators ({@code serial-number}) and the
   * short forms {@code serial}, {@code hwid}, {@code fingerprint}.
   *
   * @throws RegistryException INVALID naming the kinds
   */
  public static IdentityKind parse(String text) {
    String key = text == null ? "" : text.toLowerCase(Locale.ROOT).replaceAll("[-_ ]", "");
    return switch (key) {
      case "serialnumber", "serial" -> SERIAL_NUMBER;
      case "hardwareid", "hwid" -> HARDWARE_ID;
      case "publickeysha256", "fingerprint", "publickeyfingerprint" -> PUBLIC_KEY_SHA256;
      default ->
          throw RegistryException.invalid(
              "unknown identity kind '" + text + "' (SerialNumber, HardwareId or PublicKeySha256)");
    };
  }

  /**
   * The stored form of a value: trimmed; a key hash also lowercased with {@code :} separators
   * removed (as {@code openssl dgst} or other tools print it).
   *
   * @throws RegistryException INVALID when empty, too long, not printable ASCII, or not a hash
   */
  public String normalize(String value) {
    String v = value == null ? "" : value.strip();
    if (v.isEmpty()
        || v.length() > MAX_VALUE_LENGTH
        || !v.chars().allMatch(c -> c > 32 && c < 127)) {
      throw RegistryException.invalid(
          wireName
              + " '"
              + v
              + "' must be 1-"
              + MAX_VALUE_LENGTH
              + " printable ASCII characters without spaces");
    }
    if (this == PUBLIC_KEY_SHA256) {
      v = v.replace(":", "").toLowerCase(Locale.ROOT);
      if (!HEX_64.matcher(v).matches()) {
        throw RegistryException.invalid(
            "PublicKeySha256 must be 64 hex digits (SHA-256 of the DER public key), got " + value);
      }
    }
    return v;
  }
}
