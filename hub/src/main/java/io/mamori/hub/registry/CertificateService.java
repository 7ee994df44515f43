package io.mamori.hub.registry;

import io.mamori.hub.events.EventPublisher;
import io.mamori.hub.pki.CertificateAuthority;
import java.time.Clock;
import java.util.List;

/** Issues device certificates and manages their status and thing attachments. */
public final class CertificateService {
  private final CertificateRepository certificates;
  private final ThingRepository things;
  private final PolicyRepository policies;
  private final CertificateAuthority authority;
  private final int defaultValidityDays;
  private final Transactor transactor;
  private final EventPublisher events;
  private final RegistryListener listener;
  private final Clock clock;

  public CertificateService(
      CertificateRepository certificates,
      ThingRepository things,
      PolicyRepository policies,
      CertificateAuthority authority,
      int defaultValidityDays,
      Transactor transactor,
      EventPublisher events,
      RegistryListener listener,
      Clock clock) {
    this.certificates = certificates;
    this.things = things;
    this.policies = policies;
    this.authority = authority;
    this.defaultValidityDays = defaultValidityDays;
    this.transactor = transactor;
    this.events = events;
    this.listener = listener;
    this.clock = clock;
  }

  /**
   * Issues a certificate for an existing thing, registers it ACTIVE and attaches it to the thing
   * (and the policy, if named), all or nothing.
   */
  public IssuedDeviceCertificate issue(IssueRequest request, String actor) {
    throw new UnsupportedOperationException("not yet written");
  }

  public DeviceCertificate get(String id) {
    throw new UnsupportedOperationException("not yet written");
  }

  public List<DeviceCertificate> list() {
    throw new UnsupportedOperationException("not yet written");
  }

  /**
   * Moves a certificate to ACTIVE, INACTIVE or REVOKED; REVOKED is final. After the change is
   * committed the listener is told, so live connections using it are closed at once.
   */
  public DeviceCertificate setStatus(String id, CertificateStatus status, String actor) {
    throw new UnsupportedOperationException("not yet written");
  }

  public void attachThing(String certificateId, String thingName, String actor) {
    throw new UnsupportedOperationException("not yet written");
  }

  public void detachThing(String certificateId, String thingName, String actor) {
    throw new UnsupportedOperationException("not yet written");
  }

  public List<String> thingsOf(String certificateId) {
    throw new UnsupportedOperationException("not yet written");
  }
}
