package io.mamori.hub.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Opening, configuring and migrating the SQLite database file. */
class SqliteDatabaseTest {
  @TempDir Path dir;

  private Path file() {
    return dir.resolve("mamori.db");
  }

  @Test
  void opensInWalModeWithForeignKeysAndFullSync() {
    try (var db = SqliteDatabase.open(file())) {
      assertThat(pragma(db, "journal_mode")).isEqualTo("wal");
      assertThat(pragma(db, "foreign_keys")).isEqualTo("1");
      assertThat(pragma(db, "synchronous")).isEqualTo("2"); // 2 = FULL
      assertThat(pragma(db, "busy_timeout")).isNotEqualTo("0");
    }
  }

  @Test
  void aNewDatabaseIsAtTheLatestSchemaVersion() {
    try (var db = SqliteDatabase.open(file())) {
      assertThat(db.schemaVersion()).isEqualTo(SqliteDatabase.MIGRATIONS.latest());
      assertThat(appliedVersions(db)).containsExactly(1, 2);
    }
  }

  @Test
  void reopeningDoesNotApplyMigrationsAgain() {
    SqliteDatabase.open(file()).close();

    try (var db = SqliteDatabase.open(file())) {
      assertThat(appliedVersions(db)).containsExactly(1, 2);
    }
  }

  @Test
  void theFileIsReadableByItsOwnerOnly() throws Exception {
    SqliteDatabase.open(file()).close();

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file())))
        .isEqualTo("rw-------");
  }

  @Test
  void aDatabaseWrittenByANewerReleaseIsRefused() throws SQLException {
    SqliteDatabase.open(file()).close();
    try (var raw = DriverManager.getConnection("jdbc:sqlite:" + file());
        var statement = raw.createStatement()) {
      statement.executeUpdate(
          "INSERT INTO schema_version (version, description, applied_at) VALUES (99, 'future', 0)");
    }

    assertThatThrownBy(() -> SqliteDatabase.open(file()))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("schema version 99")
        .hasMessageContaining("only up to version " + SqliteDatabase.MIGRATIONS.latest())
        .extracting(e -> ((StoreException) e).kind())
        .isEqualTo(StoreException.Kind.SCHEMA);
  }

  @Test
  void aFailingMigrationLeavesTheDatabaseAsItWas() {
    var firstOnly = new SchemaMigrations("db/test-broken", List.of("V1__first.sql"));
    SqliteDatabase.open(file(), firstOnly).close();
    var broken = new SchemaMigrations("db/test-broken", List.of("V1__first.sql", "V2__broken.sql"));

    assertThatThrownBy(() -> SqliteDatabase.open(file(), broken))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("no_such_table");

    try (var db = SqliteDatabase.open(file(), firstOnly)) {
      assertThat(appliedVersions(db)).containsExactly(1);
      assertThat(tables(db)).contains("first").doesNotContain("second");
    }
  }

  @Test
  void migrationNamesMustBeNumberedWithoutGaps() {
    assertThatThrownBy(() -> new SchemaMigrations("db/x", List.of("V1__a.sql", "V3__c.sql")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("V3__c.sql");
    assertThatThrownBy(() -> new SchemaMigrations("db/x", List.of("first.sql")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void scriptsSplitIntoStatementsWithoutComments() {
    var statements =
        SchemaMigrations.statements(
            "-- comment; with a semicolon\nCREATE TABLE a (x INT);\n\nCREATE TABLE b (\n y INT\n);");

    assertThat(statements).containsExactly("CREATE TABLE a (x INT)", "CREATE TABLE b (\n y INT\n)");
  }

  @Test
  void aClosedDatabaseRefusesWork() {
    var db = SqliteDatabase.open(file());
    db.close();

    assertThatThrownBy(() -> new SqliteThingRepository(db).list())
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("closed");
  }

  private static String pragma(SqliteDatabase db, String name) {
    return db.queryOne("PRAGMA " + name, row -> row.getString(1)).orElseThrow();
  }

  private static List<Integer> appliedVersions(SqliteDatabase db) {
    return db.query("SELECT version FROM schema_version ORDER BY version", row -> row.getInt(1));
  }

  private static List<String> tables(SqliteDatabase db) {
    return db.query("SELECT name FROM sqlite_master WHERE type = 'table'", row -> row.getString(1));
  }
}
