package io.mamori.hub.registry;

import io.mamori.hub.pki.RevocationReason;
import java.time.Instant;

/**
 * When and why a certificate was revoked, as CRLs and OCSP responses report it.
 *
 * @param revokedAt the revocation date of RFC 5280 §5.3 and RFC 6960 §4.2.1 revocationTime
 */
public record Revocation(Instant revokedAt, RevocationReason reason) {}
