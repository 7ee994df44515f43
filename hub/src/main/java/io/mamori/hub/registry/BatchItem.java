package io.mamori.hub.registry;

import java.util.Optional;

/**
 * One certificate asked for in a bulk issuance batch.
 *
 * @param thingName thing the certificate is attached to
 * @param csrPem the device's PKCS#10 CSR; the hub never makes keys in bulk
 * @param policyName policy to attach, if any
 * @param validityDays validity; when absent the hub's default
 */
public record BatchItem(
    String thingName, String csrPem, Optional<String> policyName, Optional<Integer> validityDays) {}
