package io.mamori.hub.registry;

/**
 * Status of a registered CA certificate: AWS's {@code ACTIVE} / {@code INACTIVE} (reference §6.1),
 * plus Mamori's final {@code REVOKED} for a CA whose key is known to be compromised.
 */
public enum CaCertificateStatus {
  ACTIVE,
  INACTIVE,
  REVOKED;

  /** REVOKED is terminal: devices under a compromised CA must never come back. */
  public boolean canChangeTo(CaCertificateStatus next) {
    return this != REVOKED;
  }
}
