package io.mamori.hub.registry;

/**
 * One line of a CRL: a revoked certificate's serial and its revocation.
 *
 * @param serialNumber lowercase hex, as {@link DeviceCertificate#serialNumber()}
 */
public record RevokedSerial(String serialNumber, Revocation revocation) {}
