package io.mamori.hub.registry;

import java.util.Optional;

/**
 * The result of issuing: the registered certificate, the generated private key when the hub made
 * the key pair (it is never stored), and the CA chain the device must trust.
 */
public record IssuedDeviceCertificate(
    DeviceCertificate certificate, Optional<String> privateKeyPem, String caChainPem) {}
