package io.mamori.hub.defender.mitigation;

/** A mitigation that could not be applied, with the reason (also recorded as an event). */
public final class MitigationFailure extends RuntimeException {
  /** NOT_FOUND: the thing or policy does not exist; INVALID: parameters; CONFLICT: state. */
  public enum Kind {
    INVALID,
    NOT_FOUND,
    CONFLICT
  }

  private final Kind kind;

  public MitigationFailure(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
