package io.mamori.hub.firmware;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Firmware bytes on disk, one file per image named by its SHA-256 ({@code DATA/firmware/<hex>}).
 * Reads check the hash again, so bytes changed on disk are never served under the old name.
 */
public final class FirmwareFiles {
  private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");
  private final Path dir;

  public FirmwareFiles(Path dir) {
    this.dir = dir;
  }

  public static String sha256(byte[] content) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every JDK", e);
    }
  }

  static boolean isSha256Hex(String text) {
    return text != null && SHA256_HEX.matcher(text).matches();
  }

  /** Writes {@code content} under its hash (atomically: a crash leaves no half image). */
  String write(byte[] content) {
    String name = sha256(content);
    Path target = dir.resolve(name);
    try {
      Files.createDirectories(dir);
      if (Files.exists(target)) {
        return name;
      }
      Path temp = Files.createTempFile(dir, ".upload-", ".tmp");
      try {
        Files.write(temp, content);
        try {
          Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
      } finally {
        Files.deleteIfExists(temp);
      }
      return name;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot store firmware in " + dir, e);
    }
  }

  /** The bytes stored under {@code sha256}; fails when they no longer hash to that name. */
  byte[] read(String sha256) {
    if (!isSha256Hex(sha256)) {
      throw new IllegalArgumentException("not a SHA-256: " + sha256);
    }
    byte[] content;
    try {
      content = Files.readAllBytes(dir.resolve(sha256));
    } catch (IOException e) {
      throw new UncheckedIOException("firmware file " + sha256 + " is missing from " + dir, e);
    }
    if (!sha256(content).equals(sha256)) {
      throw new IllegalStateException(
          "firmware file " + dir.resolve(sha256) + " was changed on disk: refusing to serve it");
    }
    return content;
  }
}
