package io.mamori.hub.store;

import io.mamori.hub.registry.Transactor;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteException;

/**
 * The hub's embedded SQLite database: one file in the data directory, opened once by the
 * composition root and shared by every SQLite repository. It is also the {@link Transactor} of the
 * registry services.
 *
 * <p>One connection guarded by one lock: SQLite allows a single writer anyway, and a single
 * connection makes "every repository call on this thread inside {@code inTransaction} commits
 * together" true without passing connections around. Calls outside a transaction run one statement
 * at a time in autocommit mode.
 */
public final class SqliteDatabase implements Transactor, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SqliteDatabase.class);

  /** Migration scripts in order. Append new ones; never edit a script that has shipped. */
  static final SchemaMigrations MIGRATIONS =
      new SchemaMigrations(
          "db/sqlite",
          List.of(
              "V1__registry.sql",
              "V2__broker.sql",
              "V3__shadows.sql",
              "V4__groups.sql",
              "V5__ca_certificates.sql",
              "V6__revocation.sql",
              "V7__rotation.sql",
              "V8__certificate_batches.sql",
              "V9__defender_suppressions.sql",
              "V10__provisioning_templates.sql",
              "V11__jobs.sql",
              "V12__jit_registration.sql",
              "V13__provisioning_at_scale.sql",
              "V14__job_rollouts.sql",
              "V15__defender_detect.sql",
              "V16__firmware.sql",
              "V17__defender_notifications.sql"));

  /** How long a statement waits for another process holding the write lock (e.g. a backup). */
  private static final int BUSY_TIMEOUT_MILLIS = 5_000;

  /**
   * Compiled statements kept for reuse. The repositories use a few dozen distinct SQL texts; bulk
   * issuance runs five per certificate, and compiling each anew cost more than running it.
   */
  static final int STATEMENT_CACHE_SIZE = 128;

  private final Path file;
  private final Connection connection;
  private final ReentrantLock lock = new ReentrantLock();
  private int depth; // guarded by lock: nesting depth of inTransaction on the owning thread
  private boolean rollbackOnly; // guarded by lock: a step of the open transaction failed
  private boolean closed; // guarded by lock
  private final List<Runnable> afterCommit = new ArrayList<>(); // guarded by lock
  private final StatementCache statements = new StatementCache(STATEMENT_CACHE_SIZE); // by lock
  private int schemaVersion;

  private SqliteDatabase(Path file, Connection connection) {
    this.file = file;
    this.connection = connection;
  }

  /**
   * Opens (creating if absent, readable by its owner only) the database file and brings its schema
   * up to date in one transaction. Refuses a file whose schema is newer than this code knows.
   */
  public static SqliteDatabase open(Path file) {
    return open(file, MIGRATIONS);
  }

  static SqliteDatabase open(Path file, SchemaMigrations migrations) {
    createOwnerOnly(file);
    var db = new SqliteDatabase(file, connect(file));
    try {
      db.checkJournalMode();
      db.schemaVersion = migrations.migrate(db);
    } catch (RuntimeException e) {
      db.close();
      throw e;
    }
    log.info("database opened file={} schemaVersion={}", file, db.schemaVersion);
    return db;
  }

  private static Connection connect(Path file) {
    var config = new SQLiteConfig();
    // WAL: readers never block the writer, and a commit appends to the log instead of rewriting
    // pages, so a crash mid-commit cannot corrupt the file.
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    // FULL, not NORMAL: in WAL mode NORMAL may lose the last commits on power failure. A lost
    // commit could be a revocation the operator was told had happened; a revoked certificate
    // coming back to life is worse than an fsync per commit.
    config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
    config.enforceForeignKeys(true);
    config.setBusyTimeout(BUSY_TIMEOUT_MILLIS);
    // Take the write lock at BEGIN: a deferred transaction that later needs to write can fail
    // with SQLITE_BUSY if another process wrote in between, and busy_timeout does not help then.
    config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
    // No repository reads generated keys (every row has a natural key), and the driver otherwise
    // runs an extra "SELECT last_insert_rowid()" after every INSERT.
    config.setGetGeneratedKeys(false);
    try {
      return config.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
    } catch (SQLException e) {
      throw new StoreException(
          StoreException.Kind.FAILURE, "cannot open database " + file + ": " + e.getMessage(), e);
    }
  }

  private static void createOwnerOnly(Path file) {
    try {
      if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
        // Queued messages and retained payloads live here; SQLite gives the -wal and -shm files
        // the same permissions as the database file.
        Files.createFile(
            file,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      }
    } catch (FileAlreadyExistsException e) {
      // an existing database keeps the permissions it has
    } catch (IOException e) {
      throw new StoreException(
          StoreException.Kind.FAILURE, "cannot create database " + file + ": " + e, e);
    }
  }

  private void checkJournalMode() {
    String mode =
        queryOne("PRAGMA journal_mode", rs -> rs.getString(1)).orElse("").toLowerCase(Locale.ROOT);
    if (!mode.equals("wal")) {
      // WAL is unavailable on some network file systems; SQLite then silently keeps its default.
      log.warn("database not in WAL mode file={} journalMode={}", file, mode);
    }
  }

  public Path file() {
    return file;
  }

  /** The schema version the database is at (the highest applied migration). */
  public int schemaVersion() {
    return schemaVersion;
  }

  /**
   * Runs {@code work} in one transaction. A nested call on the same thread joins the outer
   * transaction. Any exception rolls the whole transaction back, also one that a step inside threw
   * and the work caught: PostgreSQL aborts a transaction after a failed statement, and both
   * backends must behave the same.
   */
  @Override
  public <T> T inTransaction(Supplier<T> work) {
    List<Runnable> committed;
    T result;
    lock.lock();
    try {
      ensureOpen();
      if (depth > 0) {
        return joined(work);
      }
      try {
        result = outermost(work);
        committed = List.copyOf(afterCommit);
      } finally {
        afterCommit.clear();
      }
    } finally {
      lock.unlock();
    }
    // Outside the lock, so that an action may read the database or hand work to another thread
    // that does.
    committed.forEach(SqliteDatabase::runCommitted);
    return result;
  }

  /** The work has committed, so an action's failure is logged, not turned into the work's. */
  private static void runCommitted(Runnable action) {
    try {
      action.run();
    } catch (RuntimeException e) {
      log.error("after-commit action failed reason={}", e.toString(), e);
    }
  }

  /**
   * Runs {@code action} after the current transaction on this thread commits (dropped if it rolls
   * back), or at once when this thread has no transaction open.
   */
  @Override
  public void afterCommit(Runnable action) {
    lock.lock();
    try {
      if (depth > 0) {
        afterCommit.add(action);
        return;
      }
    } finally {
      lock.unlock();
    }
    action.run();
  }

  private <T> T outermost(Supplier<T> work) {
    begin();
    T result;
    depth = 1;
    rollbackOnly = false;
    try {
      result = work.get();
    } catch (RuntimeException | Error e) {
      rollback(e);
      throw e;
    } finally {
      depth = 0;
    }
    if (rollbackOnly) {
      var e =
          new StoreException(
              StoreException.Kind.FAILURE,
              "transaction rolled back: a step inside it failed and the failure was swallowed");
      rollback(e);
      throw e;
    }
    commit();
    return result;
  }

  private <T> T joined(Supplier<T> work) {
    depth++;
    try {
      return work.get();
    } catch (RuntimeException | Error e) {
      rollbackOnly = true;
      throw e;
    } finally {
      depth--;
    }
  }

  private void begin() {
    try {
      connection.setAutoCommit(false);
    } catch (SQLException e) {
      throw translate(e);
    }
  }

  private void commit() {
    try {
      connection.commit();
    } catch (SQLException e) {
      var failure = translate(e);
      rollback(failure);
      throw failure;
    } finally {
      restoreAutoCommit();
    }
  }

  private void rollback(Throwable reason) {
    try {
      connection.rollback();
    } catch (SQLException e) {
      reason.addSuppressed(e);
    } finally {
      restoreAutoCommit();
    }
  }

  private void restoreAutoCommit() {
    try {
      if (!connection.getAutoCommit()) {
        connection.setAutoCommit(true);
      }
    } catch (SQLException e) {
      log.warn("cannot restore autocommit file={} reason={}", file, e.toString());
    }
  }

  /** Runs JDBC work on the shared connection, inside the current transaction if there is one. */
  <T> T withConnection(SqlWork<T> work) {
    lock.lock();
    try {
      ensureOpen();
      return work.run(connection);
    } catch (SQLException e) {
      if (depth > 0) {
        rollbackOnly = true;
      }
      throw translate(e);
    } finally {
      lock.unlock();
    }
  }

  /** Executes an INSERT, UPDATE or DELETE; returns the number of rows changed. */
  int update(String sql, Object... params) {
    return withStatement(
        sql,
        statement -> {
          bind(statement, params);
          return statement.executeUpdate();
        });
  }

  <T> List<T> query(String sql, RowMapper<T> mapper, Object... params) {
    return withStatement(
        sql,
        statement -> {
          bind(statement, params);
          try (var rs = statement.executeQuery()) {
            var rows = new ArrayList<T>();
            while (rs.next()) {
              rows.add(mapper.map(rs));
            }
            return rows;
          }
        });
  }

  /**
   * Runs {@code work} with the compiled statement for {@code sql}, taken out of the cache for the
   * duration: a row mapper that runs the same SQL again (on this thread, under the lock) gets a
   * statement of its own instead of resetting the one whose rows it is reading.
   */
  private <T> T withStatement(String sql, StatementWork<T> work) {
    return withConnection(
        c -> {
          PreparedStatement statement = statements.take(sql);
          if (statement == null) {
            statement = c.prepareStatement(sql);
          }
          boolean reusable = false;
          try {
            T result = work.run(statement);
            statement.clearParameters();
            reusable = true;
            return result;
          } finally {
            if (reusable) {
              statements.put(sql, statement);
            } else {
              // A failed statement may be left mid-step; a fresh one is compiled next time.
              closeQuietly(statement);
            }
          }
        });
  }

  private static void closeQuietly(PreparedStatement statement) {
    try {
      statement.close();
    } catch (SQLException e) {
      log.debug("closing a statement failed reason={}", e.toString());
    }
  }

  <T> Optional<T> queryOne(String sql, RowMapper<T> mapper, Object... params) {
    var rows = query(sql, mapper, params);
    if (rows.size() > 1) {
      throw new StoreException(StoreException.Kind.FAILURE, "expected one row, got " + rows.size());
    }
    return rows.stream().findFirst();
  }

  /** Binds parameters; Instants are stored as epoch milliseconds, enums by name. */
  private static void bind(PreparedStatement statement, Object... params) throws SQLException {
    for (int i = 0; i < params.length; i++) {
      Object value = params[i];
      if (value == null) {
        statement.setNull(i + 1, Types.NULL);
      } else if (value instanceof Instant instant) {
        statement.setLong(i + 1, instant.toEpochMilli());
      } else if (value instanceof Enum<?> constant) {
        statement.setString(i + 1, constant.name());
      } else if (value instanceof byte[] bytes) {
        statement.setBytes(i + 1, bytes);
      } else {
        statement.setObject(i + 1, value);
      }
    }
  }

  private static StoreException translate(SQLException e) {
    if (e instanceof SQLiteException sqlite) {
      switch (sqlite.getResultCode()) {
        case SQLITE_CONSTRAINT_PRIMARYKEY, SQLITE_CONSTRAINT_UNIQUE:
          return new StoreException(StoreException.Kind.DUPLICATE_KEY, e.getMessage(), e);
        case SQLITE_CONSTRAINT_FOREIGNKEY:
          return new StoreException(StoreException.Kind.FOREIGN_KEY, e.getMessage(), e);
        case SQLITE_CONSTRAINT_TRIGGER:
          // ON DELETE RESTRICT is enforced like a trigger and reported with this code
          if (String.valueOf(e.getMessage()).contains("FOREIGN KEY constraint failed")) {
            return new StoreException(StoreException.Kind.FOREIGN_KEY, e.getMessage(), e);
          }
          break;
        default:
          break;
      }
    }
    return new StoreException(
        StoreException.Kind.FAILURE, "database statement failed: " + e.getMessage(), e);
  }

  /** Whether {@link #close} ran; background tasks stop instead of failing on every run. */
  public boolean isClosed() {
    lock.lock();
    try {
      return closed;
    } finally {
      lock.unlock();
    }
  }

  private void ensureOpen() {
    if (closed) {
      throw new StoreException(StoreException.Kind.FAILURE, "database " + file + " is closed");
    }
  }

  /** Closes the connection; SQLite checkpoints the WAL into the main file on the last close. */
  @Override
  public void close() {
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      statements.closeAll();
      connection.close();
      log.info("database closed file={}", file);
    } catch (SQLException e) {
      log.warn("database close failed file={} reason={}", file, e.toString());
    } finally {
      lock.unlock();
    }
  }

  /** JDBC work on the shared connection. */
  @FunctionalInterface
  interface SqlWork<T> {
    T run(Connection connection) throws SQLException;
  }

  /** Work with one compiled statement. */
  @FunctionalInterface
  private interface StatementWork<T> {
    T run(PreparedStatement statement) throws SQLException;
  }

  /** Compiled statements by SQL text, least recently used closed first; guarded by the lock. */
  private static final class StatementCache {
    private final LinkedHashMap<String, PreparedStatement> bySql;

    StatementCache(int capacity) {
      bySql =
          new LinkedHashMap<>(capacity * 2, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, PreparedStatement> eldest) {
              if (size() > capacity) {
                closeQuietly(eldest.getValue());
                return true;
              }
              return false;
            }
          };
    }

    PreparedStatement take(String sql) {
      return bySql.remove(sql);
    }

    void put(String sql, PreparedStatement statement) {
      PreparedStatement other = bySql.put(sql, statement);
      if (other != null && other != statement) {
        // a nested use of the same SQL put its own back first
        closeQuietly(other);
      }
    }

    void closeAll() {
      bySql.values().forEach(SqliteDatabase::closeQuietly);
      bySql.clear();
    }
  }

  /** Maps the current row of a result set. */
  @FunctionalInterface
  interface RowMapper<T> {
    T map(ResultSet row) throws SQLException;
  }
}
