package io.mamori.hub.defender;

import java.time.Instant;

/** An operator's decision that a finding of {@code check} on {@code resourceId} is accepted. */
public record Suppression(String check, String resourceId, String note, Instant createdAt) {}
