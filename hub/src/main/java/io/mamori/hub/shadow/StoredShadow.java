package io.mamori.hub.shadow;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * One shadow as stored: its state ({@code desired} and/or {@code reported}), the metadata tree of
 * epoch-second timestamps that mirrors it, and its version. A deleted shadow keeps its row with
 * {@code deleted} set and empty trees, because AWS continues the version counter when the shadow is
 * created again (reference §4.2).
 */
public record StoredShadow(
    ShadowKey key,
    ObjectNode state,
    ObjectNode metadata,
    long version,
    boolean deleted,
    Instant updatedAt) {}
