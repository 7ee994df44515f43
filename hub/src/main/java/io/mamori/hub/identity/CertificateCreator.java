package io.mamori.hub.identity;

import io.mamori.hub.events.EventPublisher;
import io.mamori.hub.events.HubEvent;
import io.mamori.hub.pki.CertificateAuthority;
import io.mamori.hub.pki.CsrRejectedException;
import io.mamori.hub.pki.DeviceCertificateRequest;
import io.mamori.hub.pki.IssuedCertificate;
import io.mamori.hub.registry.CertificateRepository;
import io.mamori.hub.registry.CertificateStatus;
import io.mamori.hub.registry.DeviceCertificate;
import io.mamori.hub.registry.Policy;
import io.mamori.hub.registry.PolicyRepository;
import io.mamori.hub.registry.Transactor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import javax.security.auth.x500.X500Principal;

/**
 * Creates a certificate for a connected device (CreateKeysAndCertificate /
 * CreateCertificateFromCsr, reference §1.1). When the caller's own certificate is attached to
 * things, this is a rotation (Mamori extension, reference §6.4): the new certificate is ACTIVE,
 * attached to the same things and policies in the same transaction, and the old one is deactivated
 * later by {@link RotationCompleter}. No registry listener is told: no connection uses the new
 * certificate yet, and the attachments of the caller's own certificate do not change. Otherwise (a
 * claim certificate) the new one is PENDING_ACTIVATION with no attachment, as AWS does, until fleet
 * provisioning registers it.
 */
public final class CertificateCreator {
  /** AWS-generated certificates say {@code CN=AWS IoT Certificate}; claim-issued ones say ours. */
  static final String UNATTACHED_COMMON_NAME = "Mamori IoT Certificate";

  /**
   * A device that keeps asking for certificates without ever using one could fill the registry;
   * beyond this many unfinished rotations of one certificate, new requests are refused.
   */
  static final int MAX_PENDING_ROTATIONS = 3;

  private final CertificateRepository certificates;
  private final PolicyRepository policies;
  private final CertificateAuthority authority;
  private final OwnershipTokens tokens;
  private final RotationRepository rotations;
  private final Transactor transactor;
  private final EventPublisher events;
  private final Consumer<Rotation> rotationStarted;
  private final Duration validity;
  private final Duration grace;
  private final Clock clock;

  public CertificateCreator(
      CertificateRepository certificates,
      PolicyRepository policies,
      CertificateAuthority authority,
      OwnershipTokens tokens,
      RotationRepository rotations,
      Transactor transactor,
      EventPublisher events,
      Consumer<Rotation> rotationStarted,
      Duration validity,
      Duration grace,
      Clock clock) {
    this.certificates = certificates;
    this.policies = policies;
    this.authority = authority;
    this.tokens = tokens;
    this.rotations = rotations;
    this.transactor = transactor;
    this.events = events;
    this.rotationStarted = rotationStarted;
    this.validity = validity;
    this.grace = grace;
    this.clock = clock;
  }

  /** What the caller's certificate is attached to, read before signing and checked again after. */
  private record Attachments(List<String> things, List<String> policies) {}

  /**
   * Signs and registers a certificate for the device connected with {@code callerCertificateId}.
   *
   * @param csrPem the device's CSR; empty when the hub generates the key pair
   * @throws IdentityApiException naming what was wrong (bad CSR, caller no longer active, ...)
   */
  public CreatedCertificate create(String callerCertificateId, Optional<String> csrPem) {
    Attachments before = transactor.inTransaction(() -> attachmentsOf(callerCertificateId));
    String commonName = before.things().isEmpty() ? UNATTACHED_COMMON_NAME : before.things().get(0);
    // Signed outside the transaction (CPU work must not hold the database); a certificate signed
    // but never registered cannot connect, since only registered ACTIVE certificates do.
    IssuedCertificate issued = sign(commonName, csrPem);
    Instant at = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    boolean rotating = !before.things().isEmpty();
    // Reference §1.3: a certificate created with a claim certificate gets nothing of the claim's
    // (its policy is the claim's, not the device's); fleet provisioning attaches what it needs.
    Attachments carried = rotating ? before : new Attachments(List.of(), List.of());
    Optional<Rotation> rotation =
        rotating
            ? Optional.of(
                new Rotation(issued.certificateId(), callerCertificateId, at, at.plus(grace)))
            : Optional.empty();
    String token =
        transactor.inTransaction(
            () -> {
              if (!attachmentsOf(callerCertificateId).equals(before)) {
                throw new IdentityApiException(
                    409,
                    "ConflictException",
                    "the caller's thing or policy attachments changed during the request; retry");
              }
              certificates.insert(
                  registration(
                      issued,
                      rotating ? CertificateStatus.ACTIVE : CertificateStatus.PENDING_ACTIVATION,
                      at));
              if (rotating) {
                before.things().forEach(t -> certificates.attachThing(issued.certificateId(), t));
                before.policies().forEach(p -> policies.attach(p, issued.certificateId()));
              }
              rotation.ifPresent(rotations::insert);
              return tokens.issue(issued.certificateId());
            });
    announce(callerCertificateId, issued, csrPem.isEmpty(), carried, rotation, at);
    return new CreatedCertificate(
        issued.certificateId(), issued.certificatePem(), issued.privateKeyPem(), token, rotation);
  }

  private Attachments attachmentsOf(String callerCertificateId) {
    DeviceCertificate caller =
        certificates
            .find(callerCertificateId)
            .orElseThrow(
                () ->
                    new IdentityApiException(
                        403,
                        "AccessDeniedException",
                        "certificate " + callerCertificateId + " is not registered"));
    if (caller.status() != CertificateStatus.ACTIVE) {
      throw new IdentityApiException(
          403,
          "AccessDeniedException",
          "certificate " + callerCertificateId + " is " + caller.status());
    }
    if (rotations.pendingFrom(callerCertificateId).size() >= MAX_PENDING_ROTATIONS) {
      throw new IdentityApiException(
          429,
          "ThrottlingException",
          MAX_PENDING_ROTATIONS
              + " certificates issued to this certificate are not used yet; connect with one of"
              + " them first");
    }
    List<String> policyNames =
        policies.policiesOf(callerCertificateId).stream().map(Policy::name).sorted().toList();
    return new Attachments(certificates.thingsOf(callerCertificateId), policyNames);
  }

  private IssuedCertificate sign(String commonName, Optional<String> csrPem) {
    try {
      return authority.issueDeviceCertificate(
          new DeviceCertificateRequest(commonName, csrPem, validity));
    } catch (CsrRejectedException e) {
      throw new IdentityApiException(400, "InvalidCsr", "CSR rejected: " + e.getMessage(), e);
    }
  }

  private DeviceCertificate registration(
      IssuedCertificate issued, CertificateStatus status, Instant at) {
    X509Certificate x509 = issued.certificate();
    return new DeviceCertificate(
        issued.certificateId(),
        issued.certificatePem(),
        status,
        x509.getSubjectX500Principal().getName(X500Principal.RFC2253),
        x509.getIssuerX500Principal().getName(X500Principal.RFC2253),
        x509.getSerialNumber().toString(16),
        x509.getNotBefore().toInstant(),
        x509.getNotAfter().toInstant(),
        authority.issuingCertificateId(),
        at,
        at);
  }

  private void announce(
      String caller,
      IssuedCertificate issued,
      boolean keyGeneratedByHub,
      Attachments attachments,
      Optional<Rotation> rotation,
      Instant at) {
    String id = issued.certificateId();
    List<HubEvent> out = new ArrayList<>();
    var details = new LinkedHashMap<String, String>();
    details.put("requestedBy", caller);
    details.put("keyGeneratedByHub", Boolean.toString(keyGeneratedByHub));
    details.put("status", rotation.isPresent() ? "ACTIVE" : "PENDING_ACTIVATION");
    details.put("notAfter", issued.certificate().getNotAfter().toInstant().toString());
    out.add(event("certificate.issued", caller, id, details));
    attachments
        .things()
        .forEach(t -> out.add(event("certificate.thing-attached", caller, id, Map.of("thing", t))));
    attachments
        .policies()
        .forEach(p -> out.add(event("policy.attached", caller, id, Map.of("policy", p))));
    rotation.ifPresent(
        r ->
            out.add(
                event(
                    "certificate.rotated",
                    caller,
                    id,
                    Map.of(
                        "oldCertificateId", r.oldCertificateId(),
                        "things", String.join(",", attachments.things()),
                        "policies", String.join(",", attachments.policies()),
                        "oldDeactivatedBy", r.deadline().toString()))));
    out.forEach(events::publish);
    rotation.ifPresent(rotationStarted);
  }

  private HubEvent event(String type, String actor, String subject, Map<String, String> details) {
    return new HubEvent(type, clock.instant(), actor, subject, HubEvent.SUCCESS, "", details);
  }
}
