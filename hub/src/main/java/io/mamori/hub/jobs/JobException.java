package io.mamori.hub.jobs;

/** An operator's job request refused: what was wrong, and how the admin API should answer. */
public final class JobException extends RuntimeException {
  /** INVALID → 400, NOT_FOUND → 404, CONFLICT → 409. */
  public enum Kind {
    INVALID,
    NOT_FOUND,
    CONFLICT
  }

  private final Kind kind;

  public JobException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
