package io.mamori.hub.detect;

import java.time.Instant;

/**
 * One step in an alarm's history.
 *
 * @param change {@code ACTIVE}, {@code CLEARED}, {@code VERIFIED} or {@code DISMISSED}
 * @param actor {@code hub} for evaluations, {@code admin} for operators
 * @param value the metric value at that step (the last datapoint)
 */
public record AlarmChange(Instant at, String change, String actor, String note, double value) {}
