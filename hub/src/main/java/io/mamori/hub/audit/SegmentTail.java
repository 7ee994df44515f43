package io.mamori.hub.audit;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Follows the audit log like {@code tail -f}: remembers the segment and byte offset it has read up
 * to, so a copy reads each byte once however large the segments grow.
 */
final class SegmentTail {
  private static final int MAX_READ = 1 << 20;
  private final Path dir;
  private final AuditCodec codec = new AuditCodec();
  private Path segment;
  private long offset;
  private long afterSeq;

  /** A tail that starts with the record after {@code afterSeq}. */
  SegmentTail(Path dir, long afterSeq) {
    this.dir = dir;
    this.afterSeq = afterSeq;
  }

  /** The segment the last {@link #next} lines came from. */
  String segmentName() {
    return segment.getFileName().toString();
  }

  /** Up to about a megabyte of complete new lines from one segment; empty when none yet. */
  List<AuditReader.Line> next() throws IOException {
    List<Path> segments = AuditSegments.list(dir);
    if (segments.isEmpty()) {
      return List.of();
    }
    if (segment == null) {
      segment = segments.get(0);
      for (Path s : segments) {
        if (AuditSegments.firstSeq(s).getAsLong() <= afterSeq + 1) {
          segment = s;
        }
      }
      offset = 0;
    }
    while (true) {
      List<AuditReader.Line> lines = read();
      if (!lines.isEmpty()) {
        return lines;
      }
      int index = segments.indexOf(segment);
      if (index < 0 || index + 1 >= segments.size()) {
        return List.of();
      }
      // The writer only starts a new segment once the current one is complete.
      segment = segments.get(index + 1);
      offset = 0;
    }
  }

  private List<AuditReader.Line> read() throws IOException {
    List<AuditReader.Line> lines = new ArrayList<>();
    try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.READ)) {
      while (lines.isEmpty()) {
        long available = channel.size() - offset;
        if (available <= 0) {
          return lines;
        }
        ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(available, MAX_READ));
        channel.read(buffer, offset);
        byte[] bytes = buffer.array();
        int complete =
            AuditSegments.completeLength(java.util.Arrays.copyOf(bytes, buffer.position()));
        if (complete == 0) {
          return lines;
        }
        offset += complete;
        for (String text : new String(bytes, 0, complete, StandardCharsets.UTF_8).split("\n")) {
          if (text.isEmpty()) {
            continue;
          }
          AuditRecord record = codec.parse(text);
          if (record.seq() > afterSeq) {
            lines.add(new AuditReader.Line(text, record));
            afterSeq = record.seq();
          }
        }
      }
    }
    return lines;
  }
}
