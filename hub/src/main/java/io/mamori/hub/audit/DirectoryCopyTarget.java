package io.mamori.hub.audit;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * A byte-for-byte copy of the segments in another directory (another disk, a network mount), with
 * the audit key certificate, so that {@code mamori audit verify --dir} works on it alone. What it
 * holds is its own acknowledgement: the last complete line of its last segment.
 */
public final class DirectoryCopyTarget implements AuditCopyTarget {
  private final Path dir;
  private final Path certificate;
  private final AuditCodec codec = new AuditCodec();

  /**
   * @param certificate the audit key certificate, copied beside the segments
   */
  public DirectoryCopyTarget(Path dir, Path certificate) {
    this.dir = dir;
    this.certificate = certificate;
  }

  @Override
  public long acknowledged() throws IOException {
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(
          dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }
    if (Files.exists(certificate)) {
      Files.copy(
          certificate, dir.resolve(certificate.getFileName()), StandardCopyOption.REPLACE_EXISTING);
    }
    List<Path> segments = AuditSegments.list(dir);
    for (int i = segments.size() - 1; i >= 0; i--) {
      byte[] bytes = Files.readAllBytes(segments.get(i));
      int complete = AuditSegments.completeLength(bytes);
      if (complete < bytes.length) {
        // A copy cut mid-line by a crash: the line is sent again, so drop the partial bytes.
        try (FileChannel channel = FileChannel.open(segments.get(i), StandardOpenOption.WRITE)) {
          channel.truncate(complete);
        }
      }
      String last = AuditSegments.lastLine(bytes, complete);
      if (last != null) {
        return codec.parse(last).seq();
      }
    }
    return 0;
  }

  @Override
  public void send(String segment, List<AuditReader.Line> lines) throws IOException {
    StringBuilder text = new StringBuilder();
    lines.forEach(line -> text.append(line.text()).append('\n'));
    try (FileChannel channel =
        FileChannel.open(
            dir.resolve(segment),
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.APPEND)) {
      ByteBuffer bytes = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8));
      while (bytes.hasRemaining()) {
        channel.write(bytes);
      }
      channel.force(false);
    }
  }

  @Override
  public String describe() {
    return dir.toString();
  }
}
