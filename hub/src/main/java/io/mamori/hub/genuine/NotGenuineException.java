package io.mamori.hub.genuine;

import java.util.Optional;

/**
 * A device claimed an identity that is not on the genuine list, or one already used or revoked: a
 * possible clone. Carries what the security event needs; the device is told less.
 */
public final class NotGenuineException extends RuntimeException {
  /** Why the identity was refused. */
  public enum Reason {
    UNKNOWN,
    ALREADY_USED,
    REVOKED
  }

  private final IdentityKind kind;
  private final String value;
  private final Reason reason;
  private final Optional<String> usedBy;

  NotGenuineException(IdentityKind kind, String value, Reason reason, Optional<String> usedBy) {
    super(message(kind, value, reason));
    this.kind = kind;
    this.value = value;
    this.reason = reason;
    this.usedBy = usedBy;
  }

  private static String message(IdentityKind kind, String value, Reason reason) {
    String what = kind.wireName() + " " + value;
    return switch (reason) {
      case UNKNOWN -> what + " is not on the list of genuine devices";
      case ALREADY_USED -> what + " has already been used to provision a device";
      case REVOKED -> what + " has been revoked";
    };
  }

  public IdentityKind kind() {
    return kind;
  }

  public String value() {
    return value;
  }

  public Reason reason() {
    return reason;
  }

  /** The thing that used the identity first (for the operator's event, never for the device). */
  public Optional<String> usedBy() {
    return usedBy;
  }
}
