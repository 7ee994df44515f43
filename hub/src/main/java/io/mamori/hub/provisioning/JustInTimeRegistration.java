package io.mamori.hub.provisioning;

import io.mamori.hub.access.UnregisteredCertificates;
import io.mamori.hub.events.EventPublisher;
import io.mamori.hub.events.HubEvent;
import io.mamori.hub.registry.AutoRegistrationStatus;
import io.mamori.hub.registry.CaCertificate;
import io.mamori.hub.registry.CaCertificateService;
import io.mamori.hub.registry.CaCertificateStatus;
import io.mamori.hub.registry.DeviceCertificate;
import io.mamori.hub.registry.RegistryException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * Auto-registration on CONNECT (reference §2.2): finds the registered CA that issued an unknown
 * certificate and, when that CA is ACTIVE with auto-registration enabled, hands it to JITP (the CA
 * has a template) or JITR (it has none). Every path refuses the CONNECT that triggered it; a CA
 * that does not auto-register, or more than one candidate CA, refuses with nothing written.
 */
public final class JustInTimeRegistration implements UnregisteredCertificates {
  private final CaCertificateService cas;
  private final JustInTimeProvisioner jitp;
  private final JustInTimeRegistrar jitr;
  private final EventPublisher events;
  private final Clock clock;

  JustInTimeRegistration(
      CaCertificateService cas,
      JustInTimeProvisioner jitp,
      JustInTimeRegistrar jitr,
      EventPublisher events,
      Clock clock) {
    this.cas = cas;
    this.jitp = jitp;
    this.jitr = jitr;
    this.events = events;
    this.clock = clock;
  }

  @Override
  public String refuse(X509Certificate leaf, String certificateId) {
    List<CaCertificate> issuers = cas.issuersOf(leaf);
    List<CaCertificate> willing =
        issuers.stream().filter(JustInTimeRegistration::autoRegisters).toList();
    if (willing.isEmpty()) {
      String reason =
          issuers.isEmpty()
              ? "certificate " + certificateId + " is not registered"
              : "certificate "
                  + certificateId
                  + " is not registered and its CA "
                  + issuers.get(0).id()
                  + " does not auto-register (status "
                  + issuers.get(0).status()
                  + ", auto-registration "
                  + issuers.get(0).autoRegistration()
                  + ")";
      if (!issuers.isEmpty()) {
        refused(certificateId, reason);
      }
      return reason;
    }
    if (willing.size() > 1) {
      String reason =
          "certificate "
              + certificateId
              + " was issued under a subject several auto-registering CAs share; not registered";
      refused(certificateId, reason);
      return reason;
    }
    CaCertificate ca = willing.get(0);
    return ca.registrationConfig()
        .map(config -> jitp.provision(leaf, certificateId, ca, config))
        .orElseGet(() -> jitr.register(leaf, certificateId, ca));
  }

  @Override
  public String refusePending(DeviceCertificate certificate) {
    String reason = "certificate " + certificate.id() + " is PENDING_ACTIVATION";
    CaCertificate ca;
    try {
      ca = cas.get(certificate.caCertificateId());
    } catch (RegistryException e) {
      return reason; // issued by the hub's own CA (fleet provisioning): no registration event
    }
    // Reference §2.2: the event is published again whenever a pending certificate is presented.
    return autoRegisters(ca) ? jitr.announce(certificate, ca) : reason;
  }

  private static boolean autoRegisters(CaCertificate ca) {
    return ca.status() == CaCertificateStatus.ACTIVE
        && ca.autoRegistration() == AutoRegistrationStatus.ENABLE;
  }

  private void refused(String certificateId, String reason) {
    events.publish(
        new HubEvent(
            "auto-registration.refused",
            clock.instant(),
            "hub",
            certificateId,
            HubEvent.DENIED,
            reason,
            Map.of()));
  }
}
