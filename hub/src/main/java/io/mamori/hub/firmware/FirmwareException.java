package io.mamori.hub.firmware;

/** A firmware request that cannot be served; {@link Kind} maps to a 4xx status at the edge. */
public final class FirmwareException extends RuntimeException {
  /** What went wrong, for the caller. */
  public enum Kind {
    INVALID,
    NOT_FOUND,
    CONFLICT
  }

  private final Kind kind;

  public FirmwareException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
