package io.mamori.hub.store;

import io.mamori.hub.defender.AuditSchedule;
import io.mamori.hub.defender.AuditScheduleRepository;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** Scheduled configuration audits in SQLite ({@code defender_audit_schedules}). */
public final class SqliteAuditScheduleRepository implements AuditScheduleRepository {
  private static final String COLUMNS =
      "id, every_seconds, checks, created_at, next_run_at, last_run_at, last_findings, last_error";
  private final SqliteDatabase db;

  public SqliteAuditScheduleRepository(SqliteDatabase db) {
    this.db = db;
  }

  @Override
  public void insert(AuditSchedule s) {
    db.update(
        "INSERT INTO defender_audit_schedules (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        s.id(),
        s.every().toSeconds(),
        String.join(",", s.checks()),
        s.createdAt(),
        s.nextRunAt(),
        s.lastRunAt().orElse(null),
        s.lastFindings().orElse(null),
        s.lastError().orElse(null));
  }

  @Override
  public boolean delete(String id) {
    return db.update("DELETE FROM defender_audit_schedules WHERE id = ?", id) > 0;
  }

  @Override
  public Optional<AuditSchedule> find(String id) {
    return db.queryOne(
        "SELECT " + COLUMNS + " FROM defender_audit_schedules WHERE id = ?",
        SqliteAuditScheduleRepository::schedule,
        id);
  }

  @Override
  public List<AuditSchedule> list() {
    return db.query(
        "SELECT " + COLUMNS + " FROM defender_audit_schedules ORDER BY created_at, id",
        SqliteAuditScheduleRepository::schedule);
  }

  @Override
  public void recordRun(
      String id,
      Instant ranAt,
      Instant nextRunAt,
      Optional<Integer> findings,
      Optional<String> error) {
    db.update(
        "UPDATE defender_audit_schedules SET last_run_at = ?, next_run_at = ?, last_findings = ?,"
            + " last_error = ? WHERE id = ?",
        ranAt,
        nextRunAt,
        findings.orElse(null),
        error.orElse(null),
        id);
  }

  private static AuditSchedule schedule(ResultSet row) throws SQLException {
    long lastRun = row.getLong("last_run_at");
    Optional<Instant> lastRunAt =
        row.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(lastRun));
    int findings = row.getInt("last_findings");
    Optional<Integer> lastFindings = row.wasNull() ? Optional.empty() : Optional.of(findings);
    String checks = row.getString("checks");
    return new AuditSchedule(
        row.getString("id"),
        Duration.ofSeconds(row.getLong("every_seconds")),
        checks.isEmpty() ? List.of() : Arrays.asList(checks.split(",")),
        Instant.ofEpochMilli(row.getLong("created_at")),
        Instant.ofEpochMilli(row.getLong("next_run_at")),
        lastRunAt,
        lastFindings,
        Optional.ofNullable(row.getString("last_error")));
  }
}
