package io.mamori.hub.registry;

import java.time.Instant;

/**
 * A certificate whose notAfter falls within a reporting window.
 *
 * @param kind a device certificate, a registered CA, or one of the hub's own CA certificates
 * @param status the registry status (the hub's own CAs are always ACTIVE)
 */
public record ExpiringCertificate(
    String id, Kind kind, String subject, String status, Instant notAfter) {

  /** What kind of certificate is expiring. */
  public enum Kind {
    DEVICE,
    CA,
    HUB_CA
  }
}
