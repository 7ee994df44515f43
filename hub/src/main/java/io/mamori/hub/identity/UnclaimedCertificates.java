package io.mamori.hub.identity;

import io.mamori.hub.events.EventPublisher;
import io.mamori.hub.events.HubEvent;
import io.mamori.hub.registry.CertificateRepository;
import io.mamori.hub.registry.CertificateStatus;
import io.mamori.hub.registry.DeviceCertificate;
import io.mamori.hub.registry.PolicyRepository;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reference §1.3: when a certificate ownership token expires and its certificate was neither
 * activated nor attached to a thing or policy, the certificate is deleted. Called by {@link
 * OwnershipTokens#purgeExpired} inside the transaction that forgets the token.
 */
public final class UnclaimedCertificates implements Predicate<String> {
  private static final Logger log = LoggerFactory.getLogger(UnclaimedCertificates.class);

  private final CertificateRepository certificates;
  private final PolicyRepository policies;
  private final EventPublisher events;
  private final Clock clock;

  public UnclaimedCertificates(
      CertificateRepository certificates,
      PolicyRepository policies,
      EventPublisher events,
      Clock clock) {
    this.certificates = certificates;
    this.policies = policies;
    this.events = events;
    this.clock = clock;
  }

  /** Deletes {@code certificateId} if nobody claimed it; true when it did. */
  @Override
  public boolean test(String certificateId) {
    Optional<DeviceCertificate> found = certificates.find(certificateId);
    if (found.isEmpty()
        || found.get().status() != CertificateStatus.PENDING_ACTIVATION
        || !certificates.thingsOf(certificateId).isEmpty()
        || !policies.policiesOf(certificateId).isEmpty()) {
      return false;
    }
    certificates.delete(certificateId);
    log.info(
        "unclaimed certificate deleted certId={} reason=ownership-token-expired", certificateId);
    events.publish(
        new HubEvent(
            "certificate.deleted",
            clock.instant(),
            "hub",
            certificateId,
            HubEvent.SUCCESS,
            "ownership token expired before the certificate was registered",
            Map.of("status", CertificateStatus.PENDING_ACTIVATION.name())));
    return true;
  }
}
