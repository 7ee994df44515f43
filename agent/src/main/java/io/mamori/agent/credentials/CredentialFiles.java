package io.mamori.agent.credentials;

import io.mamori.agent.AgentException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * Writes a device's credential files so that a crash never leaves a half-written or world-readable
 * key: each file is written to a temporary file readable by its owner only (0600), flushed to disk,
 * then renamed over the target (atomic on POSIX file systems).
 *
 * <p>A rotation first <em>stages</em> the new pair beside the current one ({@code C.pem.new},
 * {@code K.pem.new}) and <em>commits</em> it (renames over the current pair) only after the new
 * certificate has connected; an interrupted rotation leaves the staged pair for the next run.
 */
public final class CredentialFiles {
  static final String STAGED_SUFFIX = ".new";

  private CredentialFiles() {}

  /** Writes {@code content} to {@code target} atomically with permissions 0600. */
  public static void writeAtomically(Path target, String content) {
    Path absolute = target.toAbsolutePath();
    Path directory = absolute.getParent();
    Path temporary = null;
    try {
      Files.createDirectories(directory);
      temporary =
          posix(directory)
              ? Files.createTempFile(
                  directory,
                  "." + absolute.getFileName(),
                  ".tmp",
                  PosixFilePermissions.asFileAttribute(
                      PosixFilePermissions.fromString("rw-------")))
              : Files.createTempFile(directory, "." + absolute.getFileName(), ".tmp");
      try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
        channel.write(ByteBuffer.wrap(content.getBytes(StandardCharsets.US_ASCII)));
        channel.force(true);
      }
      move(temporary, absolute);
      temporary = null;
    } catch (IOException e) {
      throw new AgentException("cannot write " + target + ": " + e.getMessage(), e);
    } finally {
      if (temporary != null) {
        try {
          Files.deleteIfExists(temporary);
        } catch (IOException ignored) {
          // best effort: the temporary name starts with '.' and is never read
        }
      }
    }
  }

  /** Where the new pair of {@code current} is staged. */
  public static DeviceCredentials staged(DeviceCredentials current) {
    return current.with(
        sibling(current.certificateFile(), STAGED_SUFFIX),
        sibling(current.keyFile(), STAGED_SUFFIX));
  }

  /** The staged pair of {@code current}, if a previous run left a complete one. */
  public static Optional<DeviceCredentials> findStaged(DeviceCredentials current) {
    DeviceCredentials staged = staged(current);
    return Files.isRegularFile(staged.certificateFile()) && Files.isRegularFile(staged.keyFile())
        ? Optional.of(staged)
        : Optional.empty();
  }

  /** Writes the new pair beside {@code current}; the current files are not touched. */
  public static DeviceCredentials stage(
      DeviceCredentials current, String certificatePem, String privateKeyPem) {
    DeviceCredentials staged = staged(current);
    // Key first: a staged certificate without its key is never mistaken for a complete pair.
    writeAtomically(staged.keyFile(), privateKeyPem);
    writeAtomically(staged.certificateFile(), certificatePem);
    return staged;
  }

  /** Replaces the current pair by the staged one (key first, then certificate). */
  public static void commit(DeviceCredentials current) {
    DeviceCredentials staged = staged(current);
    try {
      move(staged.keyFile(), current.keyFile().toAbsolutePath());
      move(staged.certificateFile(), current.certificateFile().toAbsolutePath());
    } catch (IOException e) {
      throw new AgentException("cannot install the new credentials: " + e.getMessage(), e);
    }
  }

  /** Deletes a staged pair. */
  public static void discardStaged(DeviceCredentials current) {
    DeviceCredentials staged = staged(current);
    try {
      Files.deleteIfExists(staged.certificateFile());
      Files.deleteIfExists(staged.keyFile());
    } catch (IOException e) {
      throw new AgentException("cannot delete staged credentials: " + e.getMessage(), e);
    }
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static Path sibling(Path file, String suffix) {
    return file.resolveSibling(file.getFileName() + suffix);
  }

  private static boolean posix(Path directory) {
    return directory.getFileSystem().supportedFileAttributeViews().contains("posix");
  }
}
