package io.mamori.hub.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.mamori.hub.audit.AuditLog;
import io.mamori.hub.audit.AuditSettings;
import io.mamori.hub.audit.AuditSigningKey;
import io.mamori.hub.events.HubEvent;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mamori audit} on files written by a real {@link AuditLog}, without a hub. */
class AuditCommandTest {
  @TempDir Path data;

  private record Result(int exit, String out, String err) {}

  private Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    var command = Main.newCommandLine();
    command.setOut(new PrintWriter(out, true));
    command.setErr(new PrintWriter(err, true));
    int exit = command.execute(args);
    return new Result(exit, out.toString(), err.toString());
  }

  /** Three events appended on three days (the clock says when each record was appended). */
  private void writeThreeDays() {
    for (int day = 1; day <= 3; day++) {
      Instant at = Instant.parse("2026-11-0" + day + "T12:00:00Z");
      Clock clock = Clock.fixed(at, ZoneOffset.UTC);
      var key = AuditSigningKey.loadOrCreate(data.resolve("audit-key"), clock);
      try (var log = new AuditLog(data.resolve("audit"), key, AuditSettings.defaults(), clock)) {
        log.accept(HubEvent.success("thing.created", at, "admin", "day-" + day));
      }
    }
  }

  @Test
  void exportWritesTheRecordsOfATimeRangeAsStored() throws Exception {
    writeThreeDays();
    Path file = data.resolve("out.jsonl");

    var result =
        run(
            "audit",
            "export",
            "--data",
            data.toString(),
            "--since",
            "2026-11-02T00:00:00Z",
            "--until",
            "2026-11-03T00:00:00Z",
            "--out",
            file.toString());

    assertThat(result.exit()).as(result.err()).isZero();
    var lines = Files.readAllLines(file);
    // The day-2 event and the checkpoint written when that log closed.
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0)).contains("day-2").contains("\"hash\":");
    assertThat(
            Files.readAllLines(data.resolve("audit").resolve("segment-00000000000000000001.jsonl")))
        .contains(lines.get(0), lines.get(1));
    assertThat(run("audit", "verify", "--data", data.toString()).exit()).isZero();
  }

  @Test
  void badInputIsOneLineNamingIt() {
    writeThreeDays();
    var badTime = run("audit", "export", "--data", data.toString(), "--since", "monday");
    assertThat(badTime.exit()).isEqualTo(1);
    assertThat(badTime.err().strip())
        .isEqualTo(
            "mamori: --since must be an ISO-8601 instant like 2026-11-01T00:00:00Z, not 'monday'");

    var backwards =
        run(
            "audit",
            "export",
            "--data",
            data.toString(),
            "--since",
            "2026-11-03T00:00:00Z",
            "--until",
            "2026-11-01T00:00:00Z");
    assertThat(backwards.err()).contains("'since' must be before 'until'");

    var nowhere = run("audit", "verify", "--dir", data.resolve("nope").toString());
    assertThat(nowhere.exit()).isEqualTo(1);
    assertThat(nowhere.err()).contains("no audit log at");

    var noCert =
        run(
            "audit",
            "verify",
            "--data",
            data.toString(),
            "--trusted-cert",
            data.resolve("missing.crt").toString());
    assertThat(noCert.err())
        .contains("cannot read the audit key certificate")
        .contains("no such file");
  }
}
