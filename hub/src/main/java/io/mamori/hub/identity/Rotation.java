package io.mamori.hub.identity;

import java.time.Instant;

/**
 * A device replaced its certificate over MQTT: {@code oldCertificateId} stays ACTIVE until the new
 * one connects or {@code deadline} passes.
 */
public record Rotation(
    String newCertificateId, String oldCertificateId, Instant requestedAt, Instant deadline) {}
