package io.mamori.hub.registry;

/**
 * Told synchronously after a registry change has been committed, so that the broker can cut off a
 * device or refresh its permissions at once. Implementations must not block.
 */
public interface RegistryListener {
  default void certificateStatusChanged(
      String certificateId, CertificateStatus from, CertificateStatus to) {}

  /** Policies attached to this certificate changed, or a policy attached to it was edited. */
  default void certificatePermissionsChanged(String certificateId) {}

  /** The thing's attributes changed, it was deleted, or its certificate attachments changed. */
  default void thingChanged(String thingName) {}
}
