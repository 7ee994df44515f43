package io.mamori.hub.registry;

import io.mamori.hub.pki.CertificateIds;
import java.security.cert.X509Certificate;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * The certificates registered without their CA (AWS RegisterCertificateWithoutCA), which complete
 * the TLS handshake by exact match of the whole certificate (its SHA-256 id), not by a chain. Asked
 * on the Netty event loop, so it answers from memory: loaded at start, and told of each new
 * registration after it commits.
 *
 * <p>An id stays here after its certificate is deleted: the handshake then succeeds, but the
 * registry finds no certificate and the CONNECT is refused, as for any unknown certificate. Status
 * (ACTIVE, INACTIVE, REVOKED) is the registry's decision after the handshake, never this set's.
 */
public final class CertificatesWithoutCa implements Predicate<X509Certificate>, RegistryListener {
  private final Set<String> ids = ConcurrentHashMap.newKeySet();

  public CertificatesWithoutCa(CertificateRepository certificates) {
    for (DeviceCertificate certificate : certificates.list()) {
      if (DeviceCertificate.WITHOUT_CA.equals(certificate.caCertificateId())) {
        ids.add(certificate.id());
      }
    }
  }

  @Override
  public boolean test(X509Certificate leaf) {
    return !ids.isEmpty() && ids.contains(CertificateIds.of(leaf));
  }

  @Override
  public void certificateRegisteredWithoutCa(String certificateId) {
    ids.add(certificateId);
  }
}
