package io.mamori.hub.genuine;

import java.time.Instant;
import java.util.Optional;

/**
 * One entry of the manufacturer's list of genuine devices, and whether a device has used it.
 *
 * @param thingName the thing provisioned with it, once {@link Status#USED}
 * @param certificateId the certificate provisioned with it, once {@link Status#USED}
 */
public record GenuineIdentity(
    IdentityKind kind,
    String value,
    Status status,
    Optional<String> thingName,
    Optional<String> certificateId,
    Instant importedAt,
    Optional<Instant> usedAt,
    Optional<Instant> revokedAt) {

  /** AVAILABLE until one device provisions with it; REVOKED by an operator (never usable). */
  public enum Status {
    AVAILABLE,
    USED,
    REVOKED
  }
}
