package io.mamori.hub.detect;

import java.time.Instant;

/**
 * A behaviour violated by one thing: active until enough normal datapoints clear it, and judged by
 * an operator as verified (a true positive) or dismissed (false or benign) with a note.
 */
public record Alarm(
    String id,
    String thing,
    String profile,
    String behavior,
    String metric,
    State state,
    double value,
    double threshold,
    Verification verification,
    String verificationNote,
    Instant raisedAt,
    Instant updatedAt) {

  /** Whether the violation lasts. */
  public enum State {
    ACTIVE,
    CLEARED
  }

  /** The operator's judgement. */
  public enum Verification {
    UNKNOWN,
    VERIFIED,
    DISMISSED
  }

  Alarm cleared(double lastValue, Instant at) {
    return new Alarm(
        id,
        thing,
        profile,
        behavior,
        metric,
        State.CLEARED,
        lastValue,
        threshold,
        verification,
        verificationNote,
        raisedAt,
        at);
  }

  Alarm judged(Verification judgement, String note, Instant at) {
    return new Alarm(
        id, thing, profile, behavior, metric, state, value, threshold, judgement, note, raisedAt,
        at);
  }
}
