package io.mamori.hub.events;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One security-relevant fact: who did what to which subject, whether it succeeded, and why.
 *
 * @param type what happened, e.g. {@code mqtt.connect}, {@code certificate.revoked}
 * @param at when it happened
 * @param actor who caused it: {@code admin}, a certificate id, a client id, {@code hub}
 * @param subject what it concerns: a thing name, certificate id, client id or topic
 * @param outcome {@code success}, {@code denied}, {@code failure}
 * @param reason why (for denials and failures: the rule that decided), or empty
 * @param details further key/value facts (never secrets or payloads)
 */
public record HubEvent(
    String type,
    Instant at,
    String actor,
    String subject,
    String outcome,
    String reason,
    Map<String, String> details) {

  public static final String SUCCESS = "success";
  public static final String DENIED = "denied";
  public static final String FAILURE = "failure";

  public HubEvent {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(at, "at");
    actor = Objects.requireNonNullElse(actor, "");
    subject = Objects.requireNonNullElse(subject, "");
    outcome = Objects.requireNonNullElse(outcome, SUCCESS);
    reason = Objects.requireNonNullElse(reason, "");
    details = Map.copyOf(details);
  }

  /** A successful event without extra details. */
  public static HubEvent success(String type, Instant at, String actor, String subject) {
    return new HubEvent(type, at, actor, subject, SUCCESS, "", Map.of());
  }

  /** A denial with the reason that decided it. */
  public static HubEvent denied(
      String type, Instant at, String actor, String subject, String reason) {
    return new HubEvent(type, at, actor, subject, DENIED, reason, Map.of());
  }

  /** A copy with one more detail. */
  public HubEvent with(String key, String value) {
    var more = new LinkedHashMap<>(details);
    more.put(key, value);
    return new HubEvent(type, at, actor, subject, outcome, reason, more);
  }
}
