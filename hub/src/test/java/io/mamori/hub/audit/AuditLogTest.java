package io.mamori.hub.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mamori.hub.events.HubEvent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditLogTest {
  @TempDir Path data;
  private final Clock clock = Clock.systemUTC();

  private Path logDir() {
    return data.resolve("audit");
  }

  private AuditSigningKey key() {
    return AuditSigningKey.loadOrCreate(data.resolve("audit-key"), clock);
  }

  private AuditSettings settings() {
    return AuditSettings.defaults().withCheckpoints(5, Duration.ofHours(1));
  }

  private static HubEvent event(int i) {
    return new HubEvent(
        "mqtt.connect",
        Instant.parse("2026-11-02T10:00:00Z").plusSeconds(i),
        "cert-" + i,
        "client-" + i,
        HubEvent.SUCCESS,
        "",
        Map.of("ipAddress", "10.0.0." + i, "note", "quote \" and\nnewline ü"));
  }

  /** Writes {@code n} events and closes the log (final checkpoint included). */
  private void write(int n) {
    try (var audit = new AuditLog(logDir(), key(), settings(), clock)) {
      for (int i = 1; i <= n; i++) {
        audit.accept(event(i));
      }
    }
  }

  private AuditVerification verify() {
    return new AuditVerifier(key().certificate().getPublicKey()).verify(logDir());
  }

  private Path segment() {
    return AuditSegments.list(logDir()).get(0);
  }

  private List<String> lines() throws Exception {
    return new ArrayList<>(Files.readAllLines(segment()));
  }

  private void rewrite(List<String> lines) throws Exception {
    Files.write(segment(), lines);
  }

  @Test
  void anUntouchedLogVerifiesWithCheckpointsEveryNRecords() throws Exception {
    write(12);

    var result = verify();

    assertThat(result.problems()).isEmpty();
    // 12 events, a checkpoint after every 5 records and a final one on close.
    assertThat(result.records()).isEqualTo(lines().size());
    assertThat(result.checkpoints()).isGreaterThanOrEqualTo(3);
    assertThat(result.lastCheckpointSeq()).isEqualTo(result.lastSeq() - 1);
    assertThat(lines().get(0)).startsWith("{\"event\":{").contains("\"seq\":1,");
  }

  @Test
  void theChainContinuesAcrossRestarts() throws Exception {
    write(3);
    long before = verify().lastSeq();
    write(3);

    var result = verify();
    assertThat(result.problems()).isEmpty();
    assertThat(result.lastSeq()).isGreaterThan(before + 3);
  }

  @Test
  void anEditedRecordIsFoundAtItsLine() throws Exception {
    write(8);
    var lines = lines();
    lines.set(2, lines.get(2).replace("client-3", "client-X"));
    rewrite(lines);

    var result = verify();

    assertThat(result.problems())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.line()).isEqualTo(3);
              assertThat(p.seq()).isEqualTo(3);
              assertThat(p.what()).contains("edited");
            });
  }

  @Test
  void anEditedAndRehashedRecordBreaksTheChainAtTheNextOne() throws Exception {
    write(8);
    var codec = new AuditCodec();
    var lines = lines();
    var original = codec.parse(lines.get(2));
    original.body().put("subject", "client-X");
    var forged = codec.seal(3, original.time(), original.kind(), original.body(), original.prev());
    lines.set(2, codec.line(forged));
    rewrite(lines);

    var result = verify();

    assertThat(result.problems()).isNotEmpty();
    assertThat(result.problems().get(0).seq()).isEqualTo(4);
    assertThat(result.problems().get(0).what()).contains("chain broken");
  }

  @Test
  void aDeletedRecordIsNamed() throws Exception {
    write(8);
    var lines = lines();
    lines.remove(3);
    rewrite(lines);

    var result = verify();

    assertThat(result.problems())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.line()).isEqualTo(4);
              assertThat(p.what()).contains("seq 4 is missing");
            });
  }

  @Test
  void anInsertedRecordIsFound() throws Exception {
    write(8);
    var lines = lines();
    lines.add(4, lines.get(1));
    rewrite(lines);

    var result = verify();

    assertThat(result.problems()).isNotEmpty();
    assertThat(result.problems().get(0).line()).isEqualTo(5);
    assertThat(result.problems().get(0).what()).contains("out of order");
  }

  @Test
  void reorderedRecordsAreFound() throws Exception {
    write(8);
    var lines = lines();
    String third = lines.get(2);
    lines.set(2, lines.get(3));
    lines.set(3, third);
    rewrite(lines);

    var result = verify();

    assertThat(result.problems()).extracting(p -> p.line()).contains(3, 4);
    assertThat(result.problems().get(0).what()).contains("seq 3 is missing");
    assertThat(result.problems().get(1).what()).contains("out of order");
  }

  @Test
  void aBadCheckpointSignatureIsFound() throws Exception {
    write(8);
    var codec = new AuditCodec();
    var lines = lines();
    int found = -1;
    for (int i = 0; i < lines.size() && found < 0; i++) {
      if (lines.get(i).contains("\"kind\":\"checkpoint\"")) {
        found = i;
      }
    }
    int index = found;
    var checkpoint = codec.parse(lines.get(index));
    // A forger without the key re-signs with another key and fixes the hash so the chain holds;
    // the next record's prev still names the original hash, so restore it there too.
    var otherKey = AuditSigningKey.loadOrCreate(data.resolve("other-key"), clock);
    checkpoint.body().put("signature", otherKey.sign(checkpoint.seq() - 1, checkpoint.prev()));
    lines.set(index, codec.line(checkpoint));
    rewrite(lines);

    var result = verify();

    assertThat(result.problems())
        .anySatisfy(
            p -> {
              assertThat(p.line()).isEqualTo(index + 1);
              assertThat(p.what()).contains("signature is not valid");
            });
  }

  @Test
  void aTruncatedTailIsReportedThenRepairedOnRestartWithAMarker() throws Exception {
    write(6);
    long size = Files.size(segment());
    int lineCount = lines().size();
    try (var channel = java.nio.channels.FileChannel.open(segment(), StandardOpenOption.WRITE)) {
      channel.truncate(size - 20);
    }

    var damaged = verify();
    assertThat(damaged.problems())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.line()).isEqualTo(lineCount);
              assertThat(p.what()).contains("truncated");
            });

    write(2);
    var repaired = verify();
    assertThat(repaired.problems()).isEmpty();
    assertThat(repaired.notes()).anySatisfy(n -> assertThat(n.what()).startsWith("recovery"));
    assertThat(Files.list(logDir()).map(p -> p.getFileName().toString()))
        .anySatisfy(name -> assertThat(name).startsWith("torn-"));
  }

  @Test
  void aFullQueueBecomesAGapRecordThatVerifyReports() throws Exception {
    var tiny = settings().withSizes(1, 1 << 20);
    try (var audit = new AuditLog(logDir(), key(), tiny, clock)) {
      for (int i = 0; i < 5000; i++) {
        audit.accept(event(i));
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> audit.queueDepth() == 0);
      assertThat(audit.eventsLost()).isPositive();
    }

    var result = verify();
    assertThat(result.problems()).isEmpty();
    assertThat(result.hasGaps()).isTrue();
  }

  @Test
  void segmentsRotateAndADeletedSegmentIsFound() throws Exception {
    var small = settings().withSizes(1000, 4096);
    try (var audit = new AuditLog(logDir(), key(), small, clock)) {
      for (int i = 0; i < 60; i++) {
        audit.accept(event(i));
        int expected = i;
        await().pollInterval(Duration.ofMillis(5)).until(() -> audit.lastSeq() > expected);
      }
    }
    var segments = AuditSegments.list(logDir());
    assertThat(segments).hasSizeGreaterThan(2);
    assertThat(verify().problems()).isEmpty();

    Files.delete(segments.get(1));

    var result = verify();
    assertThat(result.problems())
        .first()
        .satisfies(
            p -> {
              assertThat(p.file()).isEqualTo(segments.get(2).getFileName().toString());
              assertThat(p.line()).isEqualTo(1);
              assertThat(p.what()).contains("missing");
            });
  }

  @Test
  void theKeyIsPrivateAndItsCertificateIsExportedBesideTheLog() throws Exception {
    write(1);
    assertThat(
            Files.getPosixFilePermissions(
                data.resolve("audit-key").resolve(AuditSigningKey.KEY_FILE)))
        .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    assertThat(
            Files.readString(
                logDir().resolve(AuditSigningKey.CERTIFICATE_FILE), StandardCharsets.US_ASCII))
        .startsWith("-----BEGIN CERTIFICATE-----");
  }
}
