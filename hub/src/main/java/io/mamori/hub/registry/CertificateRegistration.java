package io.mamori.hub.registry;

import io.mamori.hub.events.EventPublisher;
import io.mamori.hub.pki.CertificateCheckException;
import io.mamori.hub.pki.CertificateChecks;
import io.mamori.hub.pki.CertificateIds;
import io.mamori.hub.pki.Pem;
import io.mamori.hub.pki.PemFormatException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.security.auth.x500.X500Principal;

/**
 * AWS RegisterCertificate: registers a device certificate issued outside the hub by a registered
 * CA, after checking that the CA is ACTIVE, that it really issued the certificate, and that the
 * certificate is a valid client certificate now. Nothing is written unless every check passes.
 */
public final class CertificateRegistration {
  private final CertificateRepository certificates;
  private final ThingRepository things;
  private final PolicyRepository policies;
  private final CaCertificateService cas;
  private final X509Certificate hubIssuingCa;
  private final Transactor transactor;
  private final RegistryChanges changes;

  /**
   * @param hubIssuingCa the hub's own issuing CA, whose certificates may be registered too
   */
  public CertificateRegistration(
      CertificateRepository certificates,
      ThingRepository things,
      PolicyRepository policies,
      CaCertificateService cas,
      X509Certificate hubIssuingCa,
      Transactor transactor,
      EventPublisher events,
      RegistryListener listener,
      Clock clock) {
    this.certificates = certificates;
    this.things = things;
    this.policies = policies;
    this.cas = cas;
    this.hubIssuingCa = hubIssuingCa;
    this.transactor = transactor;
    this.changes = new RegistryChanges(transactor, events, listener, clock);
  }

  public DeviceCertificate register(RegisterCertificateRequest request, String actor) {
    return changes.run(
        "certificate.registered",
        actor,
        "",
        change -> {
          requireOperatorStatus(request);
          X509Certificate device = parse(request.certificatePem());
          Issuer issuer = issuerOf(device, request.caCertificateId());
          try {
            CertificateChecks.requireDeviceIssuedBy(device, issuer.certificate(), change.at());
          } catch (CertificateCheckException e) {
            throw new RegistryException(RegistryException.Kind.INVALID, e.getMessage(), e);
          }
          return store(change, device, request, issuer.id(), () -> issuer.requireActive(cas));
        });
  }

  private static void requireOperatorStatus(RegisterCertificateRequest request) {
    if (request.status() == CertificateStatus.PENDING_ACTIVATION) {
      throw RegistryException.invalid(
          "status PENDING_ACTIVATION is set only by auto-registration;"
              + " use ACTIVE, INACTIVE or REVOKED");
    }
  }

  /**
   * AWS RegisterCertificateWithoutCA: registers a device certificate whose CA is not registered. No
   * CA vouches for it, so it completes the TLS handshake by exact match only (see {@link
   * CertificatesWithoutCa}). Refused for a certificate the hub's CA or a registered CA issued: that
   * one is registered with its CA, so that deactivating or revoking the CA still covers it.
   */
  public DeviceCertificate registerWithoutCa(RegisterCertificateRequest request, String actor) {
    return changes.run(
        "certificate.registered",
        actor,
        "",
        change -> {
          requireOperatorStatus(request);
          if (request.caCertificateId().isPresent()) {
            throw RegistryException.invalid(
                "a certificate registered without its CA names no caCertificateId");
          }
          X509Certificate device = parse(request.certificatePem());
          try {
            CertificateChecks.requireDevice(device, change.at());
          } catch (CertificateCheckException e) {
            throw new RegistryException(RegistryException.Kind.INVALID, e.getMessage(), e);
          }
          if (CertificateChecks.issuedBy(device, hubIssuingCa)
              || !cas.issuersOf(device).isEmpty()) {
            throw RegistryException.invalid(
                "this certificate was issued by a CA the hub knows (issuer "
                    + device.getIssuerX500Principal().getName()
                    + "); register it with its CA (without --without-ca)");
          }
          DeviceCertificate registered =
              store(change, device, request, DeviceCertificate.WITHOUT_CA, () -> {});
          change.tell(l -> l.certificateRegisteredWithoutCa(registered.id()));
          return registered;
        });
  }

  /**
   * Inserts {@code device} under {@code caId} with the request's thing and policy in one
   * transaction ({@code recheck} runs inside it first), and records the events.
   */
  private DeviceCertificate store(
      RegistryChanges.Change change,
      X509Certificate device,
      RegisterCertificateRequest request,
      String caId,
      Runnable recheck) {
    String id = CertificateIds.of(device);
    var registered =
        new DeviceCertificate(
            id,
            Pem.encodeCertificate(device),
            request.status(),
            device.getSubjectX500Principal().getName(X500Principal.RFC2253),
            device.getIssuerX500Principal().getName(X500Principal.RFC2253),
            device.getSerialNumber().toString(16),
            device.getNotBefore().toInstant(),
            device.getNotAfter().toInstant(),
            caId,
            change.at(),
            change.at());
    transactor.inTransaction(
        () -> {
          certificates
              .find(id)
              .ifPresent(
                  existing -> {
                    throw RegistryException.conflict(
                        "certificate "
                            + id
                            + " is already registered (status "
                            + existing.status()
                            + ")");
                  });
          // Checked again inside the transaction: the CA may have been deactivated while
          // we verified the signature.
          recheck.run();
          requireThingAndPolicy(request);
          certificates.insert(registered);
          request.thingName().ifPresent(t -> certificates.attachThing(id, t));
          request.policyName().ifPresent(p -> policies.attach(p, id));
        });
    var details = new LinkedHashMap<String, String>();
    details.put("caCertificateId", caId);
    details.put("status", registered.status().name());
    details.put("subject", registered.subject());
    details.put("notAfter", registered.notAfter().toString());
    change.event("certificate.registered", id, details);
    request
        .thingName()
        .ifPresent(
            t -> {
              change.event("certificate.thing-attached", id, Map.of("thing", t));
              change.tell(l -> l.thingChanged(t));
            });
    request
        .policyName()
        .ifPresent(
            p -> {
              change.event("policy.attached", id, Map.of("policy", p));
              change.tell(l -> l.certificatePermissionsChanged(id));
            });
    return registered;
  }

  /**
   * Auto-registration on first connect (JITR/JITP, reference §2.2): registers {@code device} as
   * PENDING_ACTIVATION under the registered CA {@code caId}, which must be ACTIVE with
   * auto-registration enabled and must have issued it. A certificate a concurrent first connect
   * registered meanwhile is returned as it is. Inside a caller's transaction, nothing is announced
   * unless that transaction commits.
   *
   * @param mode {@code JITR} or {@code JITP}, recorded in the event
   */
  public DeviceCertificate autoRegister(
      X509Certificate device, String caId, String mode, String actor) {
    String id = CertificateIds.of(device);
    return changes.run(
        "certificate.registered",
        actor,
        id,
        change ->
            transactor.inTransaction(
                () -> {
                  Optional<DeviceCertificate> existing = certificates.find(id);
                  if (existing.isPresent()) {
                    return existing.get();
                  }
                  CaCertificate ca = cas.get(caId);
                  if (ca.status() != CaCertificateStatus.ACTIVE
                      || ca.autoRegistration() != AutoRegistrationStatus.ENABLE) {
                    throw RegistryException.conflict(
                        "CA certificate "
                            + caId
                            + " is "
                            + ca.status()
                            + " with auto-registration "
                            + ca.autoRegistration()
                            + "; its devices are not registered on connect");
                  }
                  try {
                    CertificateChecks.requireDeviceIssuedBy(
                        device, Pem.parseCertificate(ca.pem()), change.at());
                  } catch (CertificateCheckException e) {
                    throw new RegistryException(RegistryException.Kind.INVALID, e.getMessage(), e);
                  }
                  var registered =
                      new DeviceCertificate(
                          id,
                          Pem.encodeCertificate(device),
                          CertificateStatus.PENDING_ACTIVATION,
                          device.getSubjectX500Principal().getName(X500Principal.RFC2253),
                          device.getIssuerX500Principal().getName(X500Principal.RFC2253),
                          device.getSerialNumber().toString(16),
                          device.getNotBefore().toInstant(),
                          device.getNotAfter().toInstant(),
                          caId,
                          change.at(),
                          change.at());
                  certificates.insert(registered);
                  var details = new LinkedHashMap<String, String>();
                  details.put("caCertificateId", caId);
                  details.put("status", registered.status().name());
                  details.put("subject", registered.subject());
                  details.put("autoRegistration", mode);
                  change.event("certificate.registered", id, details);
                  return registered;
                }));
  }

  private void requireThingAndPolicy(RegisterCertificateRequest request) {
    request
        .thingName()
        .filter(t -> things.find(t).isEmpty())
        .ifPresent(
            t -> {
              throw new RegistryException(
                  RegistryException.Kind.NOT_FOUND,
                  "thing " + t + " not found; create it first with: mamori thing create " + t);
            });
    request
        .policyName()
        .filter(p -> policies.find(p).isEmpty())
        .ifPresent(
            p -> {
              throw RegistryException.notFound("policy " + p);
            });
  }

  /** The CA that must have issued the certificate: the one named, or the only one that did. */
  private Issuer issuerOf(X509Certificate device, Optional<String> caId) {
    String hubId = CertificateIds.of(hubIssuingCa);
    if (caId.isPresent()) {
      if (caId.get().equals(hubId)) {
        return new Issuer(hubId, hubIssuingCa, false);
      }
      CaCertificate ca = cas.get(caId.get());
      var issuer = new Issuer(ca.id(), Pem.parseCertificate(ca.pem()), true);
      issuer.requireActive(cas);
      return issuer;
    }
    List<Issuer> candidates = new ArrayList<>();
    if (CertificateChecks.issuedBy(device, hubIssuingCa)) {
      candidates.add(new Issuer(hubId, hubIssuingCa, false));
    }
    for (CaCertificate ca : cas.issuersOf(device)) {
      candidates.add(new Issuer(ca.id(), Pem.parseCertificate(ca.pem()), true));
    }
    if (candidates.isEmpty()) {
      throw RegistryException.invalid(
          "no registered CA issued this certificate (issuer "
              + device.getIssuerX500Principal().getName()
              + "); register the CA first (mamori ca register)");
    }
    if (candidates.size() > 1) {
      throw RegistryException.invalid(
          "several registered CAs match the issuer "
              + device.getIssuerX500Principal().getName()
              + "; name one with --ca-id (caCertificateId)");
    }
    Issuer issuer = candidates.get(0);
    issuer.requireActive(cas);
    return issuer;
  }

  private static X509Certificate parse(String pem) {
    try {
      return Pem.parseCertificates(pem).get(0);
    } catch (PemFormatException e) {
      throw new RegistryException(
          RegistryException.Kind.INVALID, "device certificate: " + e.getMessage(), e);
    }
  }

  private record Issuer(String id, X509Certificate certificate, boolean registered) {
    void requireActive(CaCertificateService cas) {
      if (!registered) {
        return;
      }
      CaCertificateStatus status = cas.get(id).status();
      if (status != CaCertificateStatus.ACTIVE) {
        throw RegistryException.conflict(
            "CA certificate "
                + id
                + " is "
                + status
                + "; activate it before registering its devices");
      }
    }
  }
}
