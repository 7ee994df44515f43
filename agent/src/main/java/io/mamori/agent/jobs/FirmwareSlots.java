package io.mamori.agent.jobs;

import io.mamori.agent.AgentException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * A/B firmware slots in the device's data directory: {@code firmware/a/} and {@code firmware/b/},
 * each with {@code image.bin} and {@code version}, and {@code firmware/active} naming the slot the
 * device boots. An update is written into the inactive slot and only then made active by an atomic
 * rename of {@code active}: an interrupted install leaves the running image untouched.
 */
public final class FirmwareSlots {
  private final Path dir;

  public FirmwareSlots(Path dataDir) {
    this.dir = dataDir.resolve("firmware");
  }

  /** The active slot ({@code a} or {@code b}); empty before the first install. */
  public Optional<String> active() {
    Path file = dir.resolve("active");
    try {
      return Files.exists(file) ? Optional.of(Files.readString(file).strip()) : Optional.empty();
    } catch (IOException e) {
      throw new AgentException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /** The version in the active slot, empty before the first install. */
  public Optional<String> activeVersion() {
    return active().map(slot -> read(dir.resolve(slot).resolve("version")));
  }

  /** Writes a verified image into the inactive slot and switches to it; returns the new slot. */
  public String install(byte[] image, String version) {
    String target = active().filter("a"::equals).isPresent() ? "b" : "a";
    Path slot = dir.resolve(target);
    try {
      Files.createDirectories(slot);
      writeAtomically(slot.resolve("image.bin"), image);
      writeAtomically(slot.resolve("version"), version.getBytes(StandardCharsets.UTF_8));
      writeAtomically(dir.resolve("active"), target.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new AgentException("cannot install into slot " + target + ": " + e.getMessage(), e);
    }
    return target;
  }

  private static String read(Path file) {
    try {
      return Files.readString(file).strip();
    } catch (IOException e) {
      throw new AgentException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  static void writeAtomically(Path file, byte[] content) throws IOException {
    Files.createDirectories(file.getParent());
    Path temp = Files.createTempFile(file.getParent(), "." + file.getFileName(), ".tmp");
    try {
      Files.write(temp, content);
      try {
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(temp);
    }
  }
}
