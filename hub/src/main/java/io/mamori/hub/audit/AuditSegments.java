package io.mamori.hub.audit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The audit log's files: {@code segment-<first seq, 20 digits>.jsonl}, one record per line. Naming
 * a segment by its first sequence number lets a reader find a record without opening every file and
 * makes a deleted or renamed segment visible as a break in the numbering.
 */
final class AuditSegments {
  private static final Pattern NAME = Pattern.compile("segment-(\\d{20})\\.jsonl");

  private AuditSegments() {}

  static String name(long firstSeq) {
    return String.format("segment-%020d.jsonl", firstSeq);
  }

  static OptionalLong firstSeq(Path segment) {
    Matcher m = NAME.matcher(segment.getFileName().toString());
    return m.matches() ? OptionalLong.of(Long.parseLong(m.group(1))) : OptionalLong.empty();
  }

  /** The segment files in {@code dir}, oldest first; empty when the directory does not exist. */
  static List<Path> list(Path dir) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      List<Path> segments = new ArrayList<>(files.filter(f -> firstSeq(f).isPresent()).toList());
      segments.sort(Comparator.comparingLong(f -> firstSeq(f).getAsLong()));
      return segments;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the audit log directory " + dir, e);
    }
  }

  /** Offset just past the last newline: everything after it is an unfinished (torn) line. */
  static int completeLength(byte[] bytes) {
    for (int i = bytes.length - 1; i >= 0; i--) {
      if (bytes[i] == '\n') {
        return i + 1;
      }
    }
    return 0;
  }

  /** The last complete line of {@code bytes} up to {@code end}, without its newline, or null. */
  static String lastLine(byte[] bytes, int end) {
    if (end == 0) {
      return null;
    }
    int start = end - 1;
    while (start > 0 && bytes[start - 1] != '\n') {
      start--;
    }
    return new String(bytes, start, end - 1 - start, java.nio.charset.StandardCharsets.UTF_8);
  }
}
