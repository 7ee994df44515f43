package io.mamori.hub.pki;

import java.time.Duration;
import java.util.Optional;

/**
 * What the CA needs to issue a device certificate.
 *
 * @param commonName subject CN (the thing name)
 * @param csrPem a PKCS#10 CSR in PEM; when absent the CA generates an EC P-256 key pair
 * @param validity how long the certificate is valid from now
 */
public record DeviceCertificateRequest(
    String commonName, Optional<String> csrPem, Duration validity) {}
