package io.mamori.hub.registry;

/** AWS IoT certificate states (reference §6.1); only {@link #ACTIVE} authenticates. */
public enum CertificateStatus {
  ACTIVE,
  INACTIVE,
  REVOKED,
  PENDING_ACTIVATION;

  /** REVOKED is terminal: a revoked certificate can never be used again. */
  public boolean canChangeTo(CertificateStatus next) {
    return this != REVOKED && next != PENDING_ACTIVATION;
  }
}
