package io.mamori.hub.mqtt;

/**
 * The broker's view of an authorization answer: allowed or not, and the reason to log.
 *
 * @param reason which rule decided, e.g. {@code policy=p1 statement=2} or {@code implicit deny}
 */
public record AccessDecision(boolean allowed, String reason) {
  public static AccessDecision allow(String reason) {
    return new AccessDecision(true, reason);
  }

  public static AccessDecision deny(String reason) {
    return new AccessDecision(false, reason);
  }
}
