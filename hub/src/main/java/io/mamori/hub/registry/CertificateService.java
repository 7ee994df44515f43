package io.mamori.hub.registry;

import io.mamori.hub.events.EventPublisher;
import io.mamori.hub.pki.CertificateAuthority;
import io.mamori.hub.pki.CertificateValidity;
import io.mamori.hub.pki.CsrRejectedException;
import io.mamori.hub.pki.DeviceCertificateRequest;
import io.mamori.hub.pki.IssuedCertificate;
import io.mamori.hub.pki.RevocationReason;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.security.auth.x500.X500Principal;

/** Issues device certificates and manages their status and thing attachments. */
public final class CertificateService {
  /** Upper bound on requested validity; the CA also caps it at its own expiry. */
  static final int MAX_VALIDITY_DAYS = 36_500;

  private final CertificateRepository certificates;
  private final ThingRepository things;
  private final PolicyRepository policies;
  private final CertificateAuthority authority;
  private final int defaultValidityDays;
  private final Transactor transactor;
  private final RegistryChanges changes;

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
    this.changes = new RegistryChanges(transactor, events, listener, clock);
  }

  /**
   * Issues a certificate for an existing thing, registers it ACTIVE and attaches it to the thing
   * (and the policy, if named), all or nothing.
   */
  public IssuedDeviceCertificate issue(IssueRequest request, String actor) {
    return changes.run(
        "certificate.issued",
        actor,
        request.thingName(),
        change -> {
          String thingName = RegistryRules.thingName(request.thingName());
          int days = request.validityDays().orElse(defaultValidityDays);
          if (days < 1 || days > MAX_VALIDITY_DAYS) {
            throw RegistryException.invalid(
                "validity must be 1 to " + MAX_VALIDITY_DAYS + " days, got " + days);
          }
          request.policyName().ifPresent(RegistryRules::policyName);
          // Checked before signing so that a typo costs no signature; checked again inside the
          // transaction, because the thing or policy may be deleted while we sign.
          requireThingAndPolicy(request);
          IssuedCertificate issued = sign(request, days);
          DeviceCertificate registered = registration(issued, change.at());
          transactor.inTransaction(
              () -> {
                requireThingAndPolicy(request);
                certificates.insert(registered);
                certificates.attachThing(registered.id(), thingName);
                request.policyName().ifPresent(p -> policies.attach(p, registered.id()));
              });
          // A certificate signed but not registered (the transaction failed) cannot connect:
          // only ACTIVE certificates in the registry authenticate.
          announceIssue(change, request, registered);
          return new IssuedDeviceCertificate(
              registered, issued.privateKeyPem(), authority.chainPem());
        });
  }

  private void requireThingAndPolicy(IssueRequest request) {
    if (things.find(request.thingName()).isEmpty()) {
      throw new RegistryException(
          RegistryException.Kind.NOT_FOUND,
          "thing "
              + request.thingName()
              + " not found; create it first with: mamori thing create "
              + request.thingName());
    }
    request
        .policyName()
        .filter(p -> policies.find(p).isEmpty())
        .ifPresent(
            p -> {
              throw RegistryException.notFound("policy " + p);
            });
  }

  private IssuedCertificate sign(IssueRequest request, int days) {
    try {
      return authority.issueDeviceCertificate(
          new DeviceCertificateRequest(
              request.thingName(), request.csrPem(), Duration.ofDays(days)));
    } catch (CsrRejectedException e) {
      throw new RegistryException(
          RegistryException.Kind.INVALID, "CSR rejected: " + e.getMessage(), e);
    }
  }

  private DeviceCertificate registration(IssuedCertificate issued, Instant at) {
    return registration(issued, at, authority.issuingCertificateId());
  }

  /** The registry record of a certificate the hub's CA has just issued. */
  static DeviceCertificate registration(
      IssuedCertificate issued, Instant at, String caCertificateId) {
    return registration(
        issued,
        at,
        caCertificateId,
        issued.certificate().getIssuerX500Principal().getName(X500Principal.RFC2253));
  }

  /**
   * As above, with the issuer's name (RFC 2253) given: a batch signs every certificate with the
   * same issuing CA, so it formats that name once instead of parsing it back from each certificate.
   */
  static DeviceCertificate registration(
      IssuedCertificate issued, Instant at, String caCertificateId, String issuerName) {
    X509Certificate x509 = issued.certificate();
    return new DeviceCertificate(
        issued.certificateId(),
        issued.certificatePem(),
        CertificateStatus.ACTIVE,
        x509.getSubjectX500Principal().getName(X500Principal.RFC2253),
        issuerName,
        x509.getSerialNumber().toString(16),
        CertificateValidity.notBefore(x509),
        CertificateValidity.notAfter(x509),
        caCertificateId,
        at,
        at);
  }

  private static void announceIssue(
      RegistryChanges.Change change, IssueRequest request, DeviceCertificate registered) {
    String id = registered.id();
    var details = new LinkedHashMap<String, String>();
    details.put("thing", request.thingName());
    details.put("serialNumber", registered.serialNumber());
    details.put("notAfter", registered.notAfter().toString());
    details.put("keyGeneratedByHub", Boolean.toString(request.csrPem().isEmpty()));
    request.policyName().ifPresent(p -> details.put("policy", p));
    change.event("certificate.issued", id, details);
    change.event("certificate.thing-attached", id, Map.of("thing", request.thingName()));
    change.tell(l -> l.thingChanged(request.thingName()));
    request
        .policyName()
        .ifPresent(
            p -> {
              change.event("policy.attached", id, Map.of("policy", p));
              change.tell(l -> l.certificatePermissionsChanged(id));
            });
  }

  public DeviceCertificate get(String id) {
    RegistryRules.certificateId(id);
    return certificates.find(id).orElseThrow(() -> RegistryException.notFound("certificate " + id));
  }

  public List<DeviceCertificate> list() {
    return certificates.list();
  }

  /**
   * Moves a certificate to ACTIVE, INACTIVE or REVOKED; REVOKED is final. After the change is
   * committed the listener is told, so live connections using it are closed at once.
   */
  public DeviceCertificate setStatus(String id, CertificateStatus status, String actor) {
    return setStatus(id, status, actor, "");
  }

  /** As {@link #setStatus(String, CertificateStatus, String)}, recording the operator's reason. */
  public DeviceCertificate setStatus(
      String id, CertificateStatus status, String actor, String reason) {
    return changeStatus(id, status, Optional.empty(), actor, reason);
  }

  /**
   * Revokes for good, recording the time and the RFC 5280 reason that CRLs and OCSP responses
   * report. Revoking a revoked certificate again changes nothing, not even its reason.
   */
  public DeviceCertificate revoke(
      String id, RevocationReason revocationReason, String actor, String reason) {
    return changeStatus(
        id, CertificateStatus.REVOKED, Optional.of(revocationReason), actor, reason);
  }

  private DeviceCertificate changeStatus(
      String id,
      CertificateStatus status,
      Optional<RevocationReason> revocationReason,
      String actor,
      String reason) {
    String type =
        status == CertificateStatus.REVOKED ? "certificate.revoked" : "certificate.status-changed";
    return changes.run(
        type,
        actor,
        id,
        change -> {
          RegistryRules.certificateId(id);
          if (status == CertificateStatus.PENDING_ACTIVATION) {
            // Reference §6.1: UpdateCertificate may not set PENDING_ACTIVATION; only
            // provisioning puts a certificate in that state.
            throw RegistryException.invalid(
                "status PENDING_ACTIVATION cannot be set by an operator;"
                    + " use ACTIVE, INACTIVE or REVOKED");
          }
          StatusChange result =
              transactor.inTransaction(
                  () -> {
                    DeviceCertificate before = get(id);
                    if (before.status() == status) {
                      return new StatusChange(before, before);
                    }
                    if (!before.status().canChangeTo(status)) {
                      // Reference §6.1: a revoked certificate can never be activated again.
                      throw RegistryException.conflict(
                          "certificate "
                              + id
                              + " is revoked and revocation is final; it cannot become "
                              + status
                              + ". Issue a new certificate instead");
                    }
                    var after =
                        status == CertificateStatus.REVOKED
                            ? before.revoked(
                                new Revocation(
                                    change.at(),
                                    revocationReason.orElse(RevocationReason.UNSPECIFIED)))
                            : before.withStatus(status, change.at());
                    certificates.update(after);
                    return new StatusChange(before, after);
                  });
          CertificateStatus from = result.before().status();
          if (from != status) {
            var details = new LinkedHashMap<String, String>();
            details.put("from", from.name());
            details.put("to", status.name());
            result
                .after()
                .revocation()
                .ifPresent(r -> details.put("revocationReason", r.reason().rfcName()));
            change.event(type, id, reason, details);
            change.tell(l -> l.certificateStatusChanged(id, from, status));
          }
          return result.after();
        });
  }

  private record StatusChange(DeviceCertificate before, DeviceCertificate after) {}

  /** Attaches the certificate to a thing; attaching again is not an error. */
  public void attachThing(String certificateId, String thingName, String actor) {
    changes.run(
        "certificate.thing-attached",
        actor,
        certificateId,
        change -> {
          RegistryRules.certificateId(certificateId);
          transactor.inTransaction(
              () -> {
                get(certificateId);
                if (things.find(thingName).isEmpty()) {
                  throw RegistryException.notFound("thing " + thingName);
                }
                certificates.attachThing(certificateId, thingName);
              });
          change.event("certificate.thing-attached", certificateId, Map.of("thing", thingName));
          change.tell(l -> l.thingChanged(thingName));
          return null;
        });
  }

  /** Detaches the certificate from a thing; NOT_FOUND when it was not attached. */
  public void detachThing(String certificateId, String thingName, String actor) {
    changes.run(
        "certificate.thing-detached",
        actor,
        certificateId,
        change -> {
          RegistryRules.certificateId(certificateId);
          transactor.inTransaction(
              () -> {
                get(certificateId);
                if (!certificates.detachThing(certificateId, thingName)) {
                  throw new RegistryException(
                      RegistryException.Kind.NOT_FOUND,
                      "certificate " + certificateId + " is not attached to thing " + thingName);
                }
              });
          change.event("certificate.thing-detached", certificateId, Map.of("thing", thingName));
          change.tell(l -> l.thingChanged(thingName));
          return null;
        });
  }

  public List<String> thingsOf(String certificateId) {
    return transactor.inTransaction(
        () -> {
          get(certificateId);
          return certificates.thingsOf(certificateId);
        });
  }
}
