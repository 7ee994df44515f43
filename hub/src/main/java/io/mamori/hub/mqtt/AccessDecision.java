package io.mamori.hub.mqtt;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * The broker's view of an authorization answer: allowed or not, and the reason to log. The reason
 * is built only when read: an allowed PUBLISH (the common case, on the event loop) never needs it.
 */
public final class AccessDecision {
  private final boolean allowed;
  private Supplier<String> explain; // null once the reason is known
  private String reason;

  private AccessDecision(boolean allowed, String reason, Supplier<String> explain) {
    this.allowed = allowed;
    this.reason = reason;
    this.explain = explain;
  }

  public static AccessDecision allow(String reason) {
    return new AccessDecision(true, Objects.requireNonNull(reason), null);
  }

  public static AccessDecision deny(String reason) {
    return new AccessDecision(false, Objects.requireNonNull(reason), null);
  }

  /** An answer whose reason {@code explain} renders on first use. */
  public static AccessDecision of(boolean allowed, Supplier<String> explain) {
    return new AccessDecision(allowed, null, Objects.requireNonNull(explain));
  }

  public boolean allowed() {
    return allowed;
  }

  /** Which rule decided, e.g. {@code allowed by policy 'p' Statement[1] (resource ...)}. */
  public String reason() {
    if (explain != null) {
      reason = explain.get();
      explain = null;
    }
    return reason;
  }

  @Override
  public String toString() {
    return (allowed ? "allowed: " : "denied: ") + reason();
  }
}
