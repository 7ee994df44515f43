package io.mamori.hub.detect;

/** A Detect request refused: bad input, an unknown profile or alarm, or a name already taken. */
public final class DetectException extends RuntimeException {
  /** What kind of refusal (the API maps it to 400, 404 or 409). */
  public enum Kind {
    INVALID,
    NOT_FOUND,
    CONFLICT
  }

  private final Kind kind;

  DetectException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  static DetectException invalid(String message) {
    return new DetectException(Kind.INVALID, message);
  }

  static DetectException notFound(String message) {
    return new DetectException(Kind.NOT_FOUND, message);
  }

  public Kind kind() {
    return kind;
  }
}
