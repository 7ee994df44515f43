package io.mamori.hub.access;

import io.mamori.hub.registry.DeviceCertificate;
import java.security.cert.X509Certificate;

/**
 * What a CONNECT with a certificate that is not yet usable gets: one the registry does not know
 * (the TLS handshake already proved it chains to a trusted CA, the hub's or an ACTIVE registered
 * one), or one waiting in PENDING_ACTIVATION. This is the seam for just-in-time registration
 * (JITR/JITP, reference §2.2): an implementation may register the certificate (PENDING_ACTIVATION,
 * or ACTIVE through a template) when its CA allows auto-registration, and still refuses this
 * CONNECT, as AWS does.
 */
public interface UnregisteredCertificates {
  /** Runs on a worker thread; returns why this CONNECT is refused. */
  String refuse(X509Certificate leaf, String certificateId);

  /**
   * Runs on a worker thread for a registered certificate in PENDING_ACTIVATION; returns why this
   * CONNECT is refused. Reference §2.2: AWS publishes the registration event again each time.
   */
  default String refusePending(DeviceCertificate certificate) {
    return "certificate " + certificate.id() + " is " + certificate.status();
  }

  /** Without auto-registration: every unknown certificate is simply refused. */
  UnregisteredCertificates REFUSE = (leaf, id) -> "certificate " + id + " is not registered";
}
