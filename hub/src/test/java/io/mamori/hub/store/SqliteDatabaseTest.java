package io.mamori.hub.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shared connection's reuse of compiled statements. */
class SqliteDatabaseTest {
  @TempDir Path dir;
  private SqliteDatabase db;

  @BeforeEach
  void open() {
    db = SqliteDatabase.open(dir.resolve("mamori.db"));
    db.update("CREATE TABLE numbers (n INTEGER PRIMARY KEY, name TEXT NOT NULL)");
  }

  @AfterEach
  void close() {
    db.close();
  }

  @Test
  void aReusedStatementBindsEachCallsParametersAfresh() {
    for (int n = 1; n <= 3; n++) {
      db.update("INSERT INTO numbers (n, name) VALUES (?, ?)", n, "n" + n);
    }
    String sql = "SELECT name FROM numbers WHERE n = ?";

    assertThat(db.queryOne(sql, r -> r.getString(1), 2)).contains("n2");
    assertThat(db.queryOne(sql, r -> r.getString(1), 3)).contains("n3");
    assertThat(db.queryOne(sql, r -> r.getString(1), 9)).isEmpty();
  }

  @Test
  void aRowMapperRunningTheSameQueryDoesNotDisturbTheRowsBeingRead() {
    for (int n = 1; n <= 3; n++) {
      db.update("INSERT INTO numbers (n, name) VALUES (?, ?)", n, "n" + n);
    }
    String sql = "SELECT n FROM numbers WHERE n >= ? ORDER BY n";

    List<List<Integer>> nested =
        db.query(sql, row -> db.query(sql, inner -> inner.getInt(1), row.getInt(1)), 1);

    assertThat(nested).containsExactly(List.of(1, 2, 3), List.of(2, 3), List.of(3));
  }

  @Test
  void aStatementThatFailedCanRunAgain() {
    String insert = "INSERT INTO numbers (n, name) VALUES (?, ?)";
    db.update(insert, 1, "one");

    assertThatThrownBy(() -> db.update(insert, 1, "again"))
        .isInstanceOf(StoreException.class)
        .extracting(e -> ((StoreException) e).kind())
        .isEqualTo(StoreException.Kind.DUPLICATE_KEY);
    db.update(insert, 2, "two");

    assertThat(db.query("SELECT name FROM numbers ORDER BY n", r -> r.getString(1)))
        .containsExactly("one", "two");
  }

  @Test
  void moreDistinctStatementsThanTheCacheHoldsStillRun() {
    for (int n = 0; n < SqliteDatabase.STATEMENT_CACHE_SIZE + 10; n++) {
      db.update("INSERT INTO numbers (n, name) VALUES (?, '" + n + "')", n);
    }
    for (int n = 0; n < SqliteDatabase.STATEMENT_CACHE_SIZE + 10; n++) {
      db.update("INSERT INTO numbers (n, name) VALUES (?, '" + n + "')", n + 1_000);
    }

    assertThat(db.queryOne("SELECT COUNT(*) FROM numbers", r -> r.getInt(1)))
        .contains(2 * (SqliteDatabase.STATEMENT_CACHE_SIZE + 10));
  }

  @Test
  void aCachedStatementSeesARolledBackTransactionsRowsGone() {
    String insert = "INSERT INTO numbers (n, name) VALUES (?, ?)";
    assertThatThrownBy(
            () ->
                db.inTransaction(
                    (Runnable)
                        () -> {
                          db.update(insert, 1, "one");
                          throw new IllegalStateException("abandon");
                        }))
        .isInstanceOf(IllegalStateException.class);
    db.update(insert, 1, "kept");

    assertThat(db.query("SELECT name FROM numbers", r -> r.getString(1))).containsExactly("kept");
  }
}
