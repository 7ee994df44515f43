package io.mamori.hub.registry;

import java.util.Optional;

/**
 * What an operator asks for when issuing a device certificate.
 *
 * @param thingName thing the certificate is attached to (must exist)
 * @param csrPem the device's CSR; when absent the hub generates the key pair
 * @param policyName policy to attach, if any
 * @param validityDays validity; when absent the hub's default
 */
public record IssueRequest(
    String thingName,
    Optional<String> csrPem,
    Optional<String> policyName,
    Optional<Integer> validityDays) {}
