package io.mamori.hub.registry;

import java.util.Optional;

/**
 * AWS RegisterCACertificate (reference §2.1).
 *
 * @param caPem the CA certificate in PEM
 * @param verificationPem in DEFAULT mode, a certificate whose subject CN is the registration code,
 *     signed by the CA's key; absent in SNI_ONLY mode
 * @param setActive register ACTIVE (else INACTIVE, the AWS default)
 * @param allowAutoRegistration unknown device certificates from this CA are auto-registered
 */
public record RegisterCaRequest(
    String caPem,
    Optional<String> verificationPem,
    CertificateMode mode,
    boolean setActive,
    boolean allowAutoRegistration,
    Optional<RegistrationConfig> registrationConfig) {}
