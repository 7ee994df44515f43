package io.mamori.hub.access;

import io.mamori.hub.registry.CaCertificate;
import io.mamori.hub.registry.CaCertificateRepository;
import io.mamori.hub.registry.CaCertificateStatus;
import io.mamori.hub.registry.DeviceCertificate;
import java.util.Optional;
import java.util.Set;

/**
 * The hub's own CAs always vouch for their certificates; a registered CA only while ACTIVE; any
 * other issuer is refused (fail closed: a certificate must name a CA the hub knows).
 */
public final class RegisteredIssuers implements IssuerCheck {
  private final Set<String> hubCaIds;
  private final CaCertificateRepository cas;

  public RegisteredIssuers(Set<String> hubCaIds, CaCertificateRepository cas) {
    this.hubCaIds = Set.copyOf(hubCaIds);
    this.cas = cas;
  }

  @Override
  public Optional<String> refusal(DeviceCertificate certificate) {
    String caId = certificate.caCertificateId();
    if (hubCaIds.contains(caId)) {
      return Optional.empty();
    }
    if (DeviceCertificate.WITHOUT_CA.equals(caId)) {
      // Registered without its CA: the handshake accepted exactly this certificate (see
      // CertificatesWithoutCa); its own status still decides, as for every certificate.
      return Optional.empty();
    }
    Optional<CaCertificate> ca = cas.find(caId);
    if (ca.isEmpty()) {
      return Optional.of("issuing CA " + caId + " is not registered");
    }
    if (ca.get().status() != CaCertificateStatus.ACTIVE) {
      return Optional.of("issuing CA " + caId + " is " + ca.get().status());
    }
    return Optional.empty();
  }
}
