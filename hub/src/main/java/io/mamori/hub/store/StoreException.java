package io.mamori.hub.store;

/**
 * A database failure the caller cannot fix by changing its request: the file cannot be opened, its
 * schema is newer than this code, or a statement failed. {@link Kind} separates the constraint
 * violations that repositories translate into registry answers.
 */
public class StoreException extends RuntimeException {
  /** What went wrong. */
  public enum Kind {
    /** A row with the same primary or unique key exists. */
    DUPLICATE_KEY,
    /** A referenced row is missing, or a row is still referenced. */
    FOREIGN_KEY,
    /** The database file's schema cannot be used by this code. */
    SCHEMA,
    /** Anything else: I/O, a closed database, a bug in a statement. */
    FAILURE
  }

  private final Kind kind;

  public StoreException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public StoreException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
