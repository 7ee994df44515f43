package io.mamori.hub.firmware;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Short-lived, per-device firmware download URLs, the hub's counterpart of AWS's presigned URLs
 * (reference §3.4 placeholders): {@code ?thing=T&expires=E&signature=HMAC-SHA256(firmware, thing,
 * expires)}. A URL works only for the firmware and thing it names and only until it expires; any
 * change to one of them breaks the HMAC. The key is 32 random bytes in {@code
 * DATA/firmware/download-url.key} (owner-only), so URLs handed out survive a restart.
 */
public final class DownloadUrls {
  private static final String KEY_FILE = "download-url.key";
  private static final String MAC = "HmacSHA256";

  private final byte[] key;
  private final Duration lifetime;
  private final Clock clock;

  DownloadUrls(byte[] key, Duration lifetime, Clock clock) {
    this.key = key.clone();
    this.lifetime = lifetime;
    this.clock = clock;
  }

  /** Loads the key of {@code dir}, creating it on first use. */
  public static DownloadUrls loadOrCreate(Path dir, Duration lifetime, Clock clock) {
    Path file = dir.resolve(KEY_FILE);
    try {
      Files.createDirectories(dir);
      if (!Files.exists(file)) {
        byte[] fresh = new byte[32];
        new SecureRandom().nextBytes(fresh);
        Path temp = Files.createTempFile(dir, ".key-", ".tmp");
        try {
          if (Files.getFileStore(temp).supportsFileAttributeView("posix")) {
            Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
          }
          Files.writeString(temp, HexFormat.of().formatHex(fresh) + "\n");
          Files.move(temp, file);
        } finally {
          Files.deleteIfExists(temp);
        }
      }
      byte[] key = HexFormat.of().parseHex(Files.readString(file).strip());
      if (key.length < 32) {
        throw new IllegalStateException(file + " must hold 32 hex-encoded bytes");
      }
      return new DownloadUrls(key, lifetime, clock);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or create " + file, e);
    }
  }

  /** The query string ({@code thing=..&expires=..&signature=..}) of a fresh URL. */
  public String query(String firmwareId, String thing) {
    long expires = clock.instant().plus(lifetime).getEpochSecond();
    return "thing="
        + URLEncoder.encode(thing, StandardCharsets.UTF_8)
        + "&expires="
        + expires
        + "&signature="
        + signature(firmwareId, thing, expires);
  }

  /**
   * Why a download request must be refused, or empty when its URL is genuine and still valid. Every
   * part is required; the HMAC is compared in constant time.
   */
  public Optional<String> refusal(
      String firmwareId, Optional<String> thing, Optional<String> expires, Optional<String> sig) {
    if (thing.isEmpty() || expires.isEmpty() || sig.isEmpty()) {
      return Optional.of("the URL lacks thing, expires or signature");
    }
    long at;
    try {
      at = Long.parseLong(expires.get());
    } catch (NumberFormatException e) {
      return Optional.of("expires is not a number");
    }
    byte[] expected = signature(firmwareId, thing.get(), at).getBytes(StandardCharsets.US_ASCII);
    if (!MessageDigest.isEqual(expected, sig.get().getBytes(StandardCharsets.US_ASCII))) {
      return Optional.of("the signature does not match this firmware, thing and expiry");
    }
    if (clock.instant().getEpochSecond() >= at) {
      return Optional.of("the URL expired");
    }
    return Optional.empty();
  }

  private String signature(String firmwareId, String thing, long expires) {
    try {
      Mac mac = Mac.getInstance(MAC);
      mac.init(new SecretKeySpec(key, MAC));
      // Length-free fields joined by a byte no thing name or id may contain.
      String message = firmwareId + "\n" + thing + "\n" + expires;
      return Base64.getUrlEncoder()
          .withoutPadding()
          .encodeToString(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is required by every JDK", e);
    }
  }
}
