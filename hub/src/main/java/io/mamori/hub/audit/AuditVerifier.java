package io.mamori.hub.audit;

import io.mamori.hub.audit.AuditVerification.Finding;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks an audit log directory offline and read-only (it may run while the hub appends): every
 * line parses, sequence numbers follow each other across files, each record's {@code prev} is the
 * hash of the one before and its own {@code hash} recomputes, and every checkpoint covers the
 * record before it and carries a valid signature by the trusted audit key.
 *
 * <p>After a problem it resynchronizes on the record as found, so that one edit is reported once,
 * at its place, and later problems are still found.
 */
public final class AuditVerifier {
  private final AuditCodec codec = new AuditCodec();
  private final PublicKey trustedKey;

  /** Verifies against {@code trustedKey}: keep a copy of {@code audit-signing.crt} elsewhere. */
  public AuditVerifier(PublicKey trustedKey) {
    this.trustedKey = trustedKey;
  }

  public AuditVerification verify(Path dir) {
    var state = new State();
    List<Path> segments = AuditSegments.list(dir);
    for (int i = 0; i < segments.size(); i++) {
      verifySegment(segments.get(i), i == segments.size() - 1, state);
    }
    if (state.lastSeq > state.lastCheckpointSeq + 1 && state.records > 0) {
      state.notes.add(
          new Finding(
              state.lastFile,
              state.lastLine,
              state.lastSeq,
              "records after seq "
                  + (state.lastCheckpointSeq + 1)
                  + " are not yet covered by a signed checkpoint (only by the hash chain)"));
    }
    return new AuditVerification(
        state.records,
        state.lastSeq,
        state.checkpoints,
        state.lastCheckpointSeq,
        AuditSigningKey.keyId(trustedKey),
        List.copyOf(state.problems),
        List.copyOf(state.notes));
  }

  private void verifySegment(Path file, boolean last, State state) {
    String name = file.getFileName().toString();
    byte[] bytes = read(file);
    int complete = AuditSegments.completeLength(bytes);
    if (complete < bytes.length && last) {
      // The hub may be in the middle of a write: look again once before calling it torn.
      pause();
      bytes = read(file);
      complete = AuditSegments.completeLength(bytes);
    }
    String text = new String(bytes, 0, complete, StandardCharsets.UTF_8);
    String[] lines = text.isEmpty() ? new String[0] : text.split("\n", -1);
    int count = text.isEmpty() ? 0 : lines.length - 1;
    long expectedFirst = AuditSegments.firstSeq(file).getAsLong();
    for (int i = 0; i < count; i++) {
      int lineNo = i + 1;
      AuditRecord record;
      try {
        record = codec.parse(lines[i]);
      } catch (AuditCodec.MalformedRecordException e) {
        state.problems.add(
            new Finding(name, lineNo, -1, "unreadable record (" + e.getMessage() + ")"));
        continue;
      }
      if (i == 0 && record.seq() != expectedFirst) {
        state.problems.add(
            new Finding(
                name,
                lineNo,
                record.seq(),
                "segment is named for seq " + expectedFirst + " but starts at " + record.seq()));
      }
      check(record, name, lineNo, state);
    }
    if (complete < bytes.length) {
      state.problems.add(
          new Finding(
              name,
              count + 1,
              -1,
              "truncated: the last line is incomplete ("
                  + (bytes.length - complete)
                  + " bytes without a newline; a crash mid-write, which the hub repairs on its"
                  + " next start, or a cut file)"));
    }
  }

  private void check(AuditRecord record, String file, int line, State state) {
    state.records++;
    long expected = state.lastSeq + 1;
    if (record.seq() > expected) {
      state.problems.add(
          new Finding(
              file,
              line,
              record.seq(),
              (record.seq() - expected == 1
                      ? "record seq " + expected + " is missing"
                      : "records seq " + expected + ".." + (record.seq() - 1) + " are missing")
                  + " (deleted) before this one"));
    } else if (record.seq() < expected) {
      state.problems.add(
          new Finding(
              file,
              line,
              record.seq(),
              "out of order: seq "
                  + record.seq()
                  + " comes after seq "
                  + state.lastSeq
                  + " (inserted, duplicated or reordered)"));
    } else if (!record.prev().equals(state.lastHash)) {
      state.problems.add(
          new Finding(
              file,
              line,
              record.seq(),
              "chain broken: 'prev' is not the hash of seq "
                  + state.lastSeq
                  + " (that record was altered and re-hashed, or this one was inserted)"));
    }
    if (!codec.recomputeHash(record).equals(record.hash())) {
      state.problems.add(
          new Finding(file, line, record.seq(), "edited: content does not match its hash"));
    }
    switch (record.kind()) {
      case AuditRecord.CHECKPOINT -> checkCheckpoint(record, file, line, state);
      case AuditRecord.GAP ->
          state.notes.add(
              new Finding(
                  file,
                  line,
                  record.seq(),
                  "gap: "
                      + record.body().path("lost").asLong()
                      + " events lost to a full audit queue between "
                      + record.body().path("firstLostAt").asText()
                      + " and "
                      + record.body().path("lastLostAt").asText()
                      + " "
                      + record.body().path("types")));
      case AuditRecord.RECOVERY ->
          state.notes.add(
              new Finding(
                  file,
                  line,
                  record.seq(),
                  "recovery: the hub cut a torn line of "
                      + record.body().path("bytes").asLong()
                      + " bytes from "
                      + record.body().path("file").asText()
                      + " at offset "
                      + record.body().path("offset").asLong()
                      + " (kept as "
                      + record.body().path("savedAs").asText()
                      + ")"));
      case AuditRecord.EVENT -> {}
      default ->
          state.problems.add(
              new Finding(file, line, record.seq(), "unknown record kind '" + record.kind() + "'"));
    }
    state.lastSeq = record.seq();
    state.lastHash = record.hash();
    state.lastFile = file;
    state.lastLine = line;
  }

  private void checkCheckpoint(AuditRecord record, String file, int line, State state) {
    var body = record.body();
    long upToSeq = body.path("upToSeq").asLong(-1);
    String upToHash = body.path("upToHash").asText("");
    String keyId = body.path("keyId").asText("");
    String expectedKey = AuditSigningKey.keyId(trustedKey);
    if (upToSeq != record.seq() - 1 || !upToHash.equals(record.prev())) {
      state.problems.add(
          new Finding(
              file, line, record.seq(), "checkpoint does not cover the record right before it"));
    } else if (!keyId.equals(expectedKey)) {
      state.problems.add(
          new Finding(
              file,
              line,
              record.seq(),
              "checkpoint signed by key " + keyId + ", not the trusted audit key " + expectedKey));
    } else if (!AuditSigningKey.verify(
        trustedKey, upToSeq, upToHash, body.path("signature").asText(""))) {
      state.problems.add(
          new Finding(file, line, record.seq(), "checkpoint signature is not valid"));
    } else {
      state.checkpoints++;
      state.lastCheckpointSeq = record.seq() - 1;
    }
  }

  private static byte[] read(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read audit segment " + file, e);
    }
  }

  private static void pause() {
    try {
      Thread.sleep(300);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static final class State {
    long records;
    long lastSeq;
    String lastHash = AuditRecord.GENESIS;
    long checkpoints;
    long lastCheckpointSeq;
    String lastFile = "-";
    int lastLine;
    final List<Finding> problems = new ArrayList<>();
    final List<Finding> notes = new ArrayList<>();
  }
}
