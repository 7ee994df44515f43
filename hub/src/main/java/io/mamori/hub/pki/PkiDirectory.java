package io.mamori.hub.pki;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The CA's folder on disk: owner-only permissions, and files replaced atomically so a crash while
 * writing leaves either the old file or the new one, never half of one.
 */
final class PkiDirectory {
  private static final String TEMP_SUFFIX = ".tmp";
  private static final Set<PosixFilePermission> OWNER_ONLY_DIR =
      PosixFilePermissions.fromString("rwx------");
  private static final Set<PosixFilePermission> OWNER_ONLY_FILE =
      PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> PUBLIC_FILE =
      PosixFilePermissions.fromString("rw-r--r--");

  private final Path dir;

  PkiDirectory(Path dir) {
    this.dir = dir;
  }

  Path path() {
    return dir;
  }

  /** Creates the folder (mode 700) if needed and removes temp files a crash may have left. */
  void prepare() {
    try {
      if (isPosix(dir)) {
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIR));
        Files.setPosixFilePermissions(dir, OWNER_ONLY_DIR);
      } else {
        Files.createDirectories(dir);
      }
      try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(dir, ".*" + TEMP_SUFFIX)) {
        for (Path leftover : leftovers) {
          Files.deleteIfExists(leftover);
        }
      }
    } catch (IOException e) {
      throw new CertificateAuthorityException("cannot prepare CA directory " + dir, e);
    }
  }

  boolean exists(String name) {
    return Files.exists(dir.resolve(name));
  }

  /** Names of the files matching {@code glob}, sorted. */
  List<String> list(String glob) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    List<String> names = new ArrayList<>();
    try (DirectoryStream<Path> matches = Files.newDirectoryStream(dir, glob)) {
      matches.forEach(p -> names.add(p.getFileName().toString()));
    } catch (IOException e) {
      throw new CertificateAuthorityException("cannot list CA directory " + dir, e);
    }
    names.sort(null);
    return names;
  }

  Optional<String> read(String name) {
    Path file = dir.resolve(name);
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(Files.readString(file, StandardCharsets.US_ASCII));
    } catch (IOException e) {
      throw new CertificateAuthorityException("cannot read " + file, e);
    }
  }

  /**
   * Writes a file readable by its owner only (mode 600). Private keys go through {@link
   * CaKeyFiles}, which encrypts them; never write one here directly.
   */
  void writeOwnerOnly(String name, String content) {
    write(name, content, OWNER_ONLY_FILE);
  }

  /** Writes a certificate file, readable by all (mode 644). */
  void writePublic(String name, String content) {
    write(name, content, PUBLIC_FILE);
  }

  private void write(String name, String content, Set<PosixFilePermission> permissions) {
    Path target = dir.resolve(name);
    Path temp = null;
    try {
      boolean posix = isPosix(dir);
      // The temp file is created with its final permissions, so a key is never readable by others
      // even for the instant between creation and chmod.
      FileAttribute<?>[] attributes =
          posix
              ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY_FILE)}
              : new FileAttribute<?>[0];
      temp = Files.createTempFile(dir, "." + name + ".", TEMP_SUFFIX, attributes);
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        ByteBuffer bytes = ByteBuffer.wrap(content.getBytes(StandardCharsets.US_ASCII));
        while (bytes.hasRemaining()) {
          channel.write(bytes);
        }
        channel.force(true);
      }
      if (posix) {
        Files.setPosixFilePermissions(temp, permissions);
      }
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      temp = null;
      syncDirectory();
    } catch (IOException e) {
      throw new CertificateAuthorityException("cannot write " + target, e);
    } finally {
      if (temp != null) {
        try {
          Files.deleteIfExists(temp);
        } catch (IOException ignored) {
          // prepare() removes it on the next start.
        }
      }
    }
  }

  /**
   * Renames {@code from} over {@code to} atomically and flushes the rename; false when {@code from}
   * does not exist (a repeated roll-forward finds it already renamed).
   */
  boolean replace(String from, String to) {
    Path source = dir.resolve(from);
    if (!Files.exists(source)) {
      return false;
    }
    try {
      Files.move(
          source,
          dir.resolve(to),
          StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new CertificateAuthorityException("cannot rename " + source + " to " + to, e);
    }
    syncDirectory();
    return true;
  }

  /** Deletes {@code name} if present and flushes the deletion. */
  void delete(String name) {
    try {
      if (Files.deleteIfExists(dir.resolve(name))) {
        syncDirectory();
      }
    } catch (IOException e) {
      throw new CertificateAuthorityException("cannot delete " + dir.resolve(name), e);
    }
  }

  /**
   * Flushes the rename itself to disk: without it a power loss could keep a certificate file but
   * lose the key file renamed just before it. Best effort: not every platform can open a folder.
   */
  void syncDirectory() {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // Windows and some file systems refuse; the atomic rename still holds.
    }
  }

  private static boolean isPosix(Path path) {
    return path.getFileSystem().supportedFileAttributeViews().contains("posix");
  }
}
