package io.mamori.hub.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Ordered schema migration scripts of one SQL dialect (classpath resources named {@code
 * V<n>__<description>.sql}, versions 1, 2, 3... without gaps) and the {@code schema_version} table
 * that records which ones a database has applied.
 */
final class SchemaMigrations {
  private static final Pattern NAME = Pattern.compile("V([1-9][0-9]*)__([A-Za-z0-9_]+)\\.sql");

  /** One migration script. */
  record Script(int version, String description, String resource) {}

  private final List<Script> scripts;

  SchemaMigrations(String directory, List<String> names) {
    var parsed = new ArrayList<Script>();
    for (String name : names) {
      var m = NAME.matcher(name);
      if (!m.matches()) {
        throw new IllegalArgumentException(
            "migration name must be V<n>__<description>.sql: " + name);
      }
      int version = Integer.parseInt(m.group(1));
      if (version != parsed.size() + 1) {
        throw new IllegalArgumentException("migrations must be numbered 1, 2, 3...: " + name);
      }
      parsed.add(new Script(version, m.group(2).replace('_', ' '), directory + "/" + name));
    }
    this.scripts = List.copyOf(parsed);
  }

  /** The version a database has once every script is applied. */
  int latest() {
    return scripts.size();
  }

  /**
   * Applies the scripts the database lacks, all in one transaction, and returns the resulting
   * version. A database written by a newer release is refused rather than used with a schema this
   * code does not understand.
   */
  int migrate(SqliteDatabase db) {
    return db.inTransaction(
        () -> {
          db.update(
              "CREATE TABLE IF NOT EXISTS schema_version ("
                  + " version INTEGER PRIMARY KEY,"
                  + " description VARCHAR(200) NOT NULL,"
                  + " applied_at BIGINT NOT NULL)");
          int current =
              db.queryOne("SELECT COALESCE(MAX(version), 0) FROM schema_version", r -> r.getInt(1))
                  .orElse(0);
          if (current > latest()) {
            throw new StoreException(
                StoreException.Kind.SCHEMA,
                "database "
                    + db.file()
                    + " has schema version "
                    + current
                    + " but this Mamori knows only up to version "
                    + latest()
                    + "; run a Mamori release at least as new as the one that wrote it");
          }
          for (Script script : scripts.subList(current, scripts.size())) {
            for (String statement : statements(read(script.resource()))) {
              db.update(statement);
            }
            db.update(
                "INSERT INTO schema_version (version, description, applied_at) VALUES (?, ?, ?)",
                script.version(),
                script.description(),
                Instant.now());
          }
          return latest();
        });
  }

  /**
   * Splits a script into statements at semicolons that end a line, after dropping {@code --}
   * comment lines. Scripts hold plain DDL: no semicolons inside literals, no trigger bodies.
   */
  static List<String> statements(String script) {
    var sql = new StringBuilder();
    for (String line : script.split("\n", -1)) {
      if (!line.strip().startsWith("--")) {
        sql.append(line).append('\n');
      }
    }
    return Arrays.stream(sql.toString().split(";\\s*\n"))
        .map(String::strip)
        .filter(s -> !s.isEmpty())
        .toList();
  }

  private static String read(String resource) {
    try (InputStream in = SchemaMigrations.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new StoreException(
            StoreException.Kind.SCHEMA, "migration script missing from the build: " + resource);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new StoreException(
          StoreException.Kind.SCHEMA, "cannot read migration script " + resource, e);
    }
  }
}
