package io.mamori.hub.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin API's bearer token: 256 random bits, kept in a file only its owner can read, and
 * compared in constant time.
 */
public final class AdminToken {
  private static final Logger log = LoggerFactory.getLogger(AdminToken.class);
  private static final int TOKEN_BYTES = 32;

  private final String value;

  private AdminToken(String value) {
    this.value = value;
  }

  /**
   * Loads the token from {@code file}, or creates it there on first start. The file is written to a
   * temporary name with permissions 600 from the start and moved into place atomically, so no
   * reader ever sees a partial token or a moment with wider permissions.
   */
  public static AdminToken loadOrCreate(Path file) {
    try {
      if (Files.exists(file)) {
        return load(file);
      }
      return create(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot load or create the admin token at " + file, e);
    }
  }

  private static AdminToken load(Path file) throws IOException {
    warnIfOthersCanRead(file);
    String token = Files.readString(file, StandardCharsets.US_ASCII).strip();
    if (token.isEmpty()) {
      throw new IOException("the admin token file is empty");
    }
    return new AdminToken(token);
  }

  /** The token grants full admin rights, so a readable-by-others file deserves a loud warning. */
  private static void warnIfOthersCanRead(Path file) {
    try {
      var permissions = Files.getPosixFilePermissions(file);
      if (permissions.stream().anyMatch(p -> !p.name().startsWith("OWNER_"))) {
        log.warn(
            "admin token file is accessible to other users file={} permissions={} fix=\"chmod 600\"",
            file,
            PosixFilePermissions.toString(permissions));
      }
    } catch (UnsupportedOperationException | IOException e) {
      log.debug("cannot check admin token file permissions file={} reason={}", file, e.toString());
    }
  }

  private static AdminToken create(Path file) throws IOException {
    byte[] random = new byte[TOKEN_BYTES];
    new SecureRandom().nextBytes(random);
    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path temp =
        Files.createTempFile(
            dir,
            ".admin-token",
            ".tmp",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    try {
      Files.writeString(temp, token + "\n", StandardCharsets.US_ASCII);
      // A hard link appears atomically with its full content and fails if the name exists, so
      // two hubs starting at once on one data dir never overwrite each other's token.
      try {
        Files.createLink(file, temp);
      } catch (FileAlreadyExistsException e) {
        return load(file);
      } catch (UnsupportedOperationException e) {
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
      }
    } finally {
      Files.deleteIfExists(temp);
    }
    return new AdminToken(token);
  }

  /** The token itself, to hand to the API server; never log it. */
  public String value() {
    return value;
  }

  /**
   * Compares a presented token with this one in constant time: both are hashed first so that even
   * the length of the real token does not leak through timing.
   */
  public boolean matches(String presented) {
    return constantTimeEquals(value, presented);
  }

  static boolean constantTimeEquals(String expected, String presented) {
    return MessageDigest.isEqual(sha256(expected), sha256(presented));
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every JDK", e);
    }
  }

  @Override
  public String toString() {
    return "AdminToken[redacted]";
  }
}
