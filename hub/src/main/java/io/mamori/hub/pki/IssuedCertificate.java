package io.mamori.hub.pki;

import java.security.cert.X509Certificate;
import java.util.Optional;

/**
 * A certificate the CA just signed.
 *
 * @param certificateId lowercase hex SHA-256 of the DER (AWS certificateId)
 * @param privateKeyPem PKCS#8 PEM of the generated key; empty when the request carried a CSR
 */
public record IssuedCertificate(
    X509Certificate certificate,
    String certificatePem,
    String certificateId,
    Optional<String> privateKeyPem) {}
