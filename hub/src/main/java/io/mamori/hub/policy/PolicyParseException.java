package io.mamori.hub.policy;

/**
 * A policy document that Mamori refuses, with where and why, e.g. {@code Statement[1].Condition:
 * operator 'NumericFoo' is not supported}.
 */
public final class PolicyParseException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public PolicyParseException(String message) {
    super(message);
  }

  public PolicyParseException(String message, Throwable cause) {
    super(message, cause);
  }
}
