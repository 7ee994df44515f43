package io.mamori.hub.store;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mamori.hub.detect.Alarm;
import io.mamori.hub.detect.AlarmChange;
import io.mamori.hub.detect.AlarmRepository;
import io.mamori.hub.detect.DeviceReport;
import io.mamori.hub.detect.DeviceReportRepository;
import io.mamori.hub.detect.ProfileDocuments;
import io.mamori.hub.detect.SecurityProfile;
import io.mamori.hub.detect.SecurityProfileRepository;
import java.io.IOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Detect's profiles, alarms (with history) and device reports in SQLite (V12). */
public final class SqliteDetectRepositories {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final SqliteDatabase db;

  public SqliteDetectRepositories(SqliteDatabase db) {
    this.db = db;
  }

  public SecurityProfileRepository profiles() {
    return new SecurityProfileRepository() {
      @Override
      public void put(SecurityProfile p) {
        String targets = write(p.targets().stream().sorted().toList());
        db.inTransaction(
            () -> {
              db.update("DELETE FROM defender_security_profiles WHERE name = ?", p.name());
              db.update(
                  "INSERT INTO defender_security_profiles"
                      + " (name, document, targets, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
                  p.name(),
                  ProfileDocuments.write(p).toString(),
                  targets,
                  p.createdAt(),
                  p.updatedAt());
              return null;
            });
      }

      @Override
      public Optional<SecurityProfile> find(String name) {
        return db.queryOne(
            "SELECT * FROM defender_security_profiles WHERE name = ?",
            SqliteDetectRepositories::profile,
            name);
      }

      @Override
      public List<SecurityProfile> list() {
        return db.query(
            "SELECT * FROM defender_security_profiles ORDER BY name",
            SqliteDetectRepositories::profile);
      }

      @Override
      public boolean delete(String name) {
        return db.update("DELETE FROM defender_security_profiles WHERE name = ?", name) > 0;
      }
    };
  }

  private static SecurityProfile profile(ResultSet row) throws SQLException {
    var content = ProfileDocuments.read(ProfileDocuments.parse(row.getString("document")));
    List<String> targets = read(row.getString("targets"), new TypeReference<List<String>>() {});
    return new SecurityProfile(
        row.getString("name"),
        content.description(),
        content.behaviors(),
        content.mitigations(),
        content.mitigationParameters(),
        new HashSet<>(targets),
        Instant.ofEpochMilli(row.getLong("created_at")),
        Instant.ofEpochMilli(row.getLong("updated_at")));
  }

  public AlarmRepository alarms() {
    return new AlarmRepository() {
      @Override
      public void save(Alarm a, AlarmChange change) {
        db.inTransaction(
            () -> {
              int updated =
                  db.update(
                      "UPDATE defender_alarms SET state = ?, value = ?, verification = ?,"
                          + " verification_note = ?, updated_at = ? WHERE id = ?",
                      a.state(),
                      a.value(),
                      a.verification(),
                      a.verificationNote(),
                      a.updatedAt(),
                      a.id());
              if (updated == 0) {
                db.update(
                    "INSERT INTO defender_alarms (id, thing, profile, behavior, metric, state,"
                        + " value, threshold, verification, verification_note, raised_at,"
                        + " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    a.id(),
                    a.thing(),
                    a.profile(),
                    a.behavior(),
                    a.metric(),
                    a.state(),
                    a.value(),
                    a.threshold(),
                    a.verification(),
                    a.verificationNote(),
                    a.raisedAt(),
                    a.updatedAt());
              }
              db.update(
                  "INSERT INTO defender_alarm_history (alarm_id, seq, at, change, actor, note,"
                      + " value) VALUES (?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM"
                      + " defender_alarm_history WHERE alarm_id = ?), ?, ?, ?, ?, ?)",
                  a.id(),
                  a.id(),
                  change.at(),
                  change.change(),
                  change.actor(),
                  change.note(),
                  change.value());
              return null;
            });
      }

      @Override
      public Optional<Alarm> find(String id) {
        return db.queryOne(
            "SELECT * FROM defender_alarms WHERE id = ?", SqliteDetectRepositories::alarm, id);
      }

      @Override
      public List<Alarm> list(boolean activeOnly, int limit) {
        return db.query(
            "SELECT * FROM defender_alarms"
                + (activeOnly ? " WHERE state = 'ACTIVE'" : "")
                + " ORDER BY raised_at DESC, id LIMIT ?",
            SqliteDetectRepositories::alarm,
            limit);
      }

      @Override
      public List<AlarmChange> history(String id) {
        return db.query(
            "SELECT at, change, actor, note, value FROM defender_alarm_history"
                + " WHERE alarm_id = ? ORDER BY seq",
            row ->
                new AlarmChange(
                    Instant.ofEpochMilli(row.getLong("at")),
                    row.getString("change"),
                    row.getString("actor"),
                    row.getString("note"),
                    row.getDouble("value")),
            id);
      }
    };
  }

  private static Alarm alarm(ResultSet row) throws SQLException {
    return new Alarm(
        row.getString("id"),
        row.getString("thing"),
        row.getString("profile"),
        row.getString("behavior"),
        row.getString("metric"),
        Alarm.State.valueOf(row.getString("state")),
        row.getDouble("value"),
        row.getDouble("threshold"),
        Alarm.Verification.valueOf(row.getString("verification")),
        row.getString("verification_note"),
        Instant.ofEpochMilli(row.getLong("raised_at")),
        Instant.ofEpochMilli(row.getLong("updated_at")));
  }

  public DeviceReportRepository reports() {
    return new DeviceReportRepository() {
      @Override
      public void add(DeviceReport r) {
        db.update(
            "INSERT INTO defender_device_reports (thing, report_id, received_at, metrics)"
                + " VALUES (?, ?, ?, ?)",
            r.thing(),
            r.reportId(),
            r.receivedAt(),
            write(r.values()));
      }

      @Override
      public List<DeviceReport> since(String thing, Instant since) {
        return db.query(
            "SELECT * FROM defender_device_reports WHERE thing = ? AND received_at >= ?"
                + " ORDER BY received_at",
            row ->
                new DeviceReport(
                    row.getString("thing"),
                    row.getLong("report_id"),
                    Instant.ofEpochMilli(row.getLong("received_at")),
                    read(row.getString("metrics"), new TypeReference<Map<String, Double>>() {})),
            thing,
            since);
      }

      @Override
      public void prune(Instant before) {
        db.update("DELETE FROM defender_device_reports WHERE received_at < ?", before);
      }
    };
  }

  private static String write(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode " + value.getClass().getSimpleName(), e);
    }
  }

  private static <T> T read(String json, TypeReference<T> type) {
    try {
      return JSON.readValue(json, type);
    } catch (IOException e) {
      throw new IllegalStateException("stored Detect JSON is unreadable", e);
    }
  }
}
