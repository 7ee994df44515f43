package io.mamori.hub.registry;

import java.time.Instant;

/**
 * A named AWS IoT policy; {@code document} is the default version's JSON text.
 *
 * @param defaultVersionId the version that is in force (versions count from 1)
 */
public record Policy(
    String name, String document, int defaultVersionId, Instant createdAt, Instant updatedAt) {}
