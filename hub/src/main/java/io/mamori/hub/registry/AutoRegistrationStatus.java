package io.mamori.hub.registry;

/**
 * Whether unknown device certificates from a registered CA are registered on first connect
 * (reference §2.1 {@code autoRegistrationStatus}; used by JITR/JITP).
 */
public enum AutoRegistrationStatus {
  ENABLE,
  DISABLE
}
