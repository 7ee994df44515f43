package io.mamori.hub.registry;

/**
 * A registry request that cannot be carried out; {@link Kind} tells the edge how to answer (HTTP
 * 400 / 404 / 409, or a CLI message).
 */
public class RegistryException extends RuntimeException {
  /** Why the request failed. */
  public enum Kind {
    INVALID,
    NOT_FOUND,
    CONFLICT
  }

  private final Kind kind;

  public RegistryException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public RegistryException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }

  public static RegistryException notFound(String what) {
    return new RegistryException(Kind.NOT_FOUND, what + " not found");
  }

  public static RegistryException invalid(String message) {
    return new RegistryException(Kind.INVALID, message);
  }

  public static RegistryException conflict(String message) {
    return new RegistryException(Kind.CONFLICT, message);
  }
}
