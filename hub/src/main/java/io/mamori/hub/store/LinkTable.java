package io.mamori.hub.store;

import java.util.List;
import java.util.function.Function;

/**
 * One many-to-many link table of two text keys (a certificate's things, a policy's certificates, a
 * group's members, a group's policies): link, unlink, and either side's partners in key order.
 * Table and column names are constants of the repositories, never input, so building the SQL from
 * them is safe; the keys are always bound parameters.
 */
final class LinkTable {
  private final SqliteDatabase db;
  private final String table;
  private final String left;
  private final String right;

  LinkTable(SqliteDatabase db, String table, String left, String right) {
    this.db = db;
    this.table = table;
    this.left = left;
    this.right = right;
  }

  /**
   * Links the two keys; linking twice is not an error (AWS's attach calls are idempotent too). A
   * key that does not exist fails with a {@link StoreException.Kind#FOREIGN_KEY} store exception.
   *
   * @return whether the link is new
   */
  boolean link(String leftKey, String rightKey) {
    return db.update(
            "INSERT INTO "
                + table
                + " ("
                + left
                + ", "
                + right
                + ") VALUES (?, ?) ON CONFLICT ("
                + left
                + ", "
                + right
                + ") DO NOTHING",
            leftKey,
            rightKey)
        > 0;
  }

  /** {@link #link}, with a missing key reported as {@code missing} makes it. */
  void link(String leftKey, String rightKey, Function<StoreException, RuntimeException> missing) {
    try {
      link(leftKey, rightKey);
    } catch (StoreException e) {
      if (e.kind() == StoreException.Kind.FOREIGN_KEY) {
        throw missing.apply(e);
      }
      throw e;
    }
  }

  /**
   * @return whether there was such a link
   */
  boolean unlink(String leftKey, String rightKey) {
    return db.update(
            "DELETE FROM " + table + " WHERE " + left + " = ? AND " + right + " = ?",
            leftKey,
            rightKey)
        > 0;
  }

  /** The right-hand keys linked to {@code leftKey}, sorted. */
  List<String> rightsOf(String leftKey) {
    return partners(right, left, leftKey);
  }

  /** The left-hand keys linked to {@code rightKey}, sorted. */
  List<String> leftsOf(String rightKey) {
    return partners(left, right, rightKey);
  }

  private List<String> partners(String wanted, String given, String key) {
    return db.query(
        "SELECT " + wanted + " FROM " + table + " WHERE " + given + " = ? ORDER BY " + wanted,
        row -> row.getString(1),
        key);
  }
}
