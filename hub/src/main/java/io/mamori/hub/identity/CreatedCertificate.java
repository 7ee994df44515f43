package io.mamori.hub.identity;

import java.util.Optional;

/**
 * A certificate created over MQTT.
 *
 * @param privateKeyPem the generated key when the hub made the key pair (never stored)
 * @param ownershipToken the one-hour, single-use token handed to the device (reference §1.3)
 * @param rotation present when the caller's certificate was attached to a thing and the new one
 *     replaces it
 */
public record CreatedCertificate(
    String certificateId,
    String certificatePem,
    Optional<String> privateKeyPem,
    String ownershipToken,
    Optional<Rotation> rotation) {}
