package io.mamori.hub.registry;

/**
 * Told synchronously after a registry change has been committed, so that the broker can cut off a
 * device or refresh its permissions at once. Implementations must not block.
 */
public interface RegistryListener {
  default void certificateStatusChanged(
      String certificateId, CertificateStatus from, CertificateStatus to) {}

  /**
   * A certificate was registered without its CA (AWS RegisterCertificateWithoutCA): from now on it
   * completes the TLS handshake by exact match.
   */
  default void certificateRegisteredWithoutCa(String certificateId) {}

  /** Policies attached to this certificate changed, or a policy attached to it was edited. */
  default void certificatePermissionsChanged(String certificateId) {}

  /** The thing's attributes changed, it was deleted, or its certificate attachments changed. */
  default void thingChanged(String thingName) {}

  /**
   * The policies these things' connections get through their thing groups changed: a thing joined
   * or left a group, or a policy of one of its groups (or their ancestors) was attached, detached
   * or edited.
   */
  default void thingGroupPoliciesChanged(java.util.Set<String> thingNames) {}

  /**
   * A registered CA left or re-entered ACTIVE: when it left, every live connection of a device
   * certificate it issued must be closed.
   */
  default void caCertificateStatusChanged(
      String caCertificateId, CaCertificateStatus from, CaCertificateStatus to) {}
}
