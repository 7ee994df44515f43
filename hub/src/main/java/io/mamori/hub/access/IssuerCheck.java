package io.mamori.hub.access;

import io.mamori.hub.registry.DeviceCertificate;
import java.util.Optional;

/**
 * Whether the CA that issued a registered device certificate still vouches for it: asked on every
 * CONNECT after the certificate's own status, so a deactivated or revoked CA keeps its devices out
 * even if the TLS trust snapshot were stale.
 */
@FunctionalInterface
public interface IssuerCheck {
  /** Empty when the issuer is trusted; otherwise why the connection is refused. */
  Optional<String> refusal(DeviceCertificate certificate);
}
