package io.mamori.hub.revocation;

import java.math.BigInteger;

/**
 * Persistent CRL numbers per CA. RFC 5280 §5.2.3: a CA's CRL numbers increase monotonically, so a
 * relying party can tell which of two CRLs is newer; they must survive restarts.
 */
public interface CrlNumbers {
  /** Reserves and returns the next number for {@code caCertificateId}, starting at 1. */
  BigInteger next(String caCertificateId);
}
