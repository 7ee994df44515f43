package io.mamori.hub.audit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads records back from an audit log directory, read-only and safe while the hub appends (only
 * complete lines are read). Used by {@code mamori audit export}, the REST API and HTTP copies.
 */
public final class AuditReader {
  private final Path dir;
  private final AuditCodec codec = new AuditCodec();

  public AuditReader(Path dir) {
    this.dir = dir;
  }

  /** What to read: records after {@code afterSeq} whose time is in [since, until). */
  public record Query(Optional<Instant> since, Optional<Instant> until, long afterSeq, int limit) {
    public Query {
      if (limit < 1) {
        throw new IllegalArgumentException("limit must be at least 1");
      }
      if (since.isPresent() && until.isPresent() && !since.get().isBefore(until.get())) {
        throw new IllegalArgumentException("'since' must be before 'until'");
      }
    }
  }

  /** One stored line and the record it holds. */
  public record Line(String text, AuditRecord record) {}

  /** Handles lines in order; returns false to stop. */
  @FunctionalInterface
  public interface LineHandler {
    boolean handle(Line line) throws IOException;
  }

  /** The matching records, oldest first, at most {@code query.limit()}. */
  public List<Line> read(Query query) {
    List<Line> lines = new ArrayList<>();
    scan(query, line -> lines.add(line) && lines.size() < query.limit());
    return lines;
  }

  /** The record as a JSON tree. */
  public ObjectNode tree(AuditRecord record) {
    return codec.tree(record);
  }

  /**
   * Passes every matching line to {@code handler} until it returns false or {@code limit} lines
   * were handled. Lines that do not parse are skipped (that is {@code verify}'s business).
   *
   * @return how many unreadable lines were skipped
   */
  public long scan(Query query, LineHandler handler) {
    List<Path> segments = AuditSegments.list(dir);
    long skipped = 0;
    int handled = 0;
    try {
      for (int i = 0; i < segments.size(); i++) {
        if (i + 1 < segments.size() && skippable(segments.get(i + 1), query)) {
          continue;
        }
        byte[] bytes = Files.readAllBytes(segments.get(i));
        int complete = AuditSegments.completeLength(bytes);
        for (String text : new String(bytes, 0, complete, StandardCharsets.UTF_8).split("\n")) {
          if (text.isEmpty()) {
            continue;
          }
          AuditRecord record;
          try {
            record = codec.parse(text);
          } catch (AuditCodec.MalformedRecordException e) {
            skipped++;
            continue;
          }
          if (!matches(record, query)) {
            continue;
          }
          if (!handler.handle(new Line(text, record)) || ++handled >= query.limit()) {
            return skipped;
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the audit log in " + dir, e);
    }
    return skipped;
  }

  private static boolean matches(AuditRecord record, Query query) {
    return record.seq() > query.afterSeq()
        && query.since().map(s -> !record.time().isBefore(s)).orElse(true)
        && query.until().map(u -> record.time().isBefore(u)).orElse(true);
  }

  /**
   * A segment can be skipped when the next one starts at or before the sequence wanted, or started
   * before {@code since} (records are appended in time order).
   */
  private boolean skippable(Path next, Query query) throws IOException {
    if (AuditSegments.firstSeq(next).getAsLong() <= query.afterSeq() + 1) {
      return true;
    }
    if (query.since().isEmpty()) {
      return false;
    }
    try (var reader = Files.newBufferedReader(next, StandardCharsets.UTF_8)) {
      String first = reader.readLine();
      if (first == null) {
        return false;
      }
      return codec.parse(first).time().isBefore(query.since().get());
    } catch (AuditCodec.MalformedRecordException e) {
      return false;
    }
  }
}
