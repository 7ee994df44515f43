package io.mamori.hub.registry;

import io.mamori.hub.events.EventPublisher;
import io.mamori.hub.pki.CertificateCheckException;
import io.mamori.hub.pki.CertificateChecks;
import io.mamori.hub.pki.CertificateIds;
import io.mamori.hub.pki.Pem;
import io.mamori.hub.pki.PemFormatException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.security.auth.x500.X500Principal;

/**
 * Manufacturers' CA certificates (reference §2.1): the registration code, registration with proof
 * of possession (DEFAULT) or without (SNI_ONLY), status changes, auto-registration and deletion.
 * Every committed change refreshes {@link TrustedCas} first and then tells the listener, so a CA
 * leaving ACTIVE is refused at the next handshake and its devices' live connections close.
 */
public final class CaCertificateService {
  private final CaCertificateRepository cas;
  private final TrustedCas trusted;
  private final Set<String> hubCaIds;
  private final Transactor transactor;
  private final RegistryChanges changes;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();

  /**
   * @param hubCaIds ids of the hub's own CA certificates, which cannot be registered (deactivating
   *     them would cut off every device the hub issued)
   */
  public CaCertificateService(
      CaCertificateRepository cas,
      TrustedCas trusted,
      Set<String> hubCaIds,
      Transactor transactor,
      EventPublisher events,
      RegistryListener listener,
      Clock clock) {
    this.cas = cas;
    this.trusted = trusted;
    this.hubCaIds = Set.copyOf(hubCaIds);
    this.transactor = transactor;
    this.changes = new RegistryChanges(transactor, events, listener, clock);
    this.clock = clock;
  }

  /**
   * AWS GetRegistrationCode: 64 random hex characters, made on first request and the same for the
   * life of the hub's data directory.
   */
  public String registrationCode() {
    return cas.registrationCode()
        .orElseGet(
            () -> {
              byte[] bytes = new byte[32];
              random.nextBytes(bytes);
              return cas.saveRegistrationCode(HexFormat.of().formatHex(bytes), clock.instant());
            });
  }

  /** Checks the CA (and in DEFAULT mode the proof of possession), then registers it. */
  public CaCertificate register(RegisterCaRequest request, String actor) {
    return changes.run(
        "ca-certificate.registered",
        actor,
        "",
        change -> {
          X509Certificate ca = parse(request.caPem(), "CA certificate");
          String id = CertificateIds.of(ca);
          try {
            CertificateChecks.requireCa(ca, change.at());
            proveKeyPossession(request, ca, change.at());
          } catch (CertificateCheckException e) {
            throw new RegistryException(RegistryException.Kind.INVALID, e.getMessage(), e);
          }
          if (hubCaIds.contains(id)) {
            throw RegistryException.conflict(
                "CA certificate " + id + " is the hub's own CA; it is trusted already");
          }
          var registered =
              new CaCertificate(
                  id,
                  Pem.encodeCertificate(ca),
                  request.setActive() ? CaCertificateStatus.ACTIVE : CaCertificateStatus.INACTIVE,
                  request.mode(),
                  request.allowAutoRegistration()
                      ? AutoRegistrationStatus.ENABLE
                      : AutoRegistrationStatus.DISABLE,
                  request.registrationConfig(),
                  ca.getSubjectX500Principal().getName(X500Principal.RFC2253),
                  ca.getSerialNumber().toString(16),
                  ca.getNotBefore().toInstant(),
                  ca.getNotAfter().toInstant(),
                  change.at(),
                  change.at(),
                  Optional.empty());
          transactor.inTransaction(
              () -> {
                cas.find(id)
                    .ifPresent(
                        existing -> {
                          throw RegistryException.conflict(
                              "CA certificate "
                                  + id
                                  + " is already registered (status "
                                  + existing.status()
                                  + ")");
                        });
                cas.insert(registered);
              });
          var details = new LinkedHashMap<String, String>();
          details.put("subject", registered.subject());
          details.put("status", registered.status().name());
          details.put("certificateMode", registered.mode().name());
          details.put("autoRegistrationStatus", registered.autoRegistration().name());
          details.put("notAfter", registered.notAfter().toString());
          change.event("ca-certificate.registered", id, details);
          change.tell(l -> trusted.refresh());
          return registered;
        });
  }

  private void proveKeyPossession(RegisterCaRequest request, X509Certificate ca, Instant now) {
    if (request.mode() == CertificateMode.SNI_ONLY) {
      // Reference §2.1: SNI_ONLY registers without a verification certificate.
      if (request.verificationPem().isPresent()) {
        throw RegistryException.invalid(
            "certificate mode SNI_ONLY takes no verification certificate; use DEFAULT to prove"
                + " possession of the CA key");
      }
      return;
    }
    String pem =
        request
            .verificationPem()
            .orElseThrow(
                () ->
                    RegistryException.invalid(
                        "a verification certificate is required in DEFAULT mode: sign a"
                            + " certificate whose subject CN is the registration code (mamori ca"
                            + " registration-code) with the CA's key, or register with mode"
                            + " SNI_ONLY"));
    X509Certificate verification = parse(pem, "verification certificate");
    CertificateChecks.requireVerification(ca, verification, registrationCode(), now);
  }

  private static X509Certificate parse(String pem, String what) {
    try {
      return Pem.parseCertificate(pem);
    } catch (PemFormatException e) {
      throw new RegistryException(RegistryException.Kind.INVALID, what + ": " + e.getMessage(), e);
    }
  }

  public CaCertificate get(String id) {
    RegistryRules.certificateId(id);
    return cas.find(id).orElseThrow(() -> RegistryException.notFound("CA certificate " + id));
  }

  public List<CaCertificate> list() {
    return cas.list();
  }

  /** How many device certificates this CA issued are registered. */
  public long deviceCertificateCount(String id) {
    return cas.deviceCertificateCount(get(id).id());
  }

  /**
   * The registered CA that issued {@code certificate} (issuer name and signature), whatever its
   * status; empty when none did. For auto-registration (JITR/JITP) and {@code cert register}.
   */
  public List<CaCertificate> issuersOf(X509Certificate certificate) {
    String issuer = certificate.getIssuerX500Principal().getName(X500Principal.RFC2253);
    return cas.list().stream()
        .filter(ca -> ca.subject().equals(issuer))
        .filter(ca -> CertificateChecks.issuedBy(certificate, Pem.parseCertificate(ca.pem())))
        .toList();
  }

  /**
   * ACTIVE, INACTIVE or REVOKED; REVOKED is final. Leaving ACTIVE closes the live connections of
   * every device certificate the CA issued, and their handshakes fail from then on.
   */
  public CaCertificate setStatus(String id, CaCertificateStatus status, String actor) {
    String type =
        status == CaCertificateStatus.REVOKED
            ? "ca-certificate.revoked"
            : "ca-certificate.status-changed";
    return changes.run(
        type,
        actor,
        id,
        change -> {
          StatusChange result =
              transactor.inTransaction(
                  () -> {
                    CaCertificate before = get(id);
                    if (before.status() == status) {
                      return new StatusChange(before, before);
                    }
                    if (!before.status().canChangeTo(status)) {
                      throw RegistryException.conflict(
                          "CA certificate "
                              + id
                              + " is revoked and revocation is final; it cannot become "
                              + status);
                    }
                    var next = before.withStatus(status, change.at());
                    cas.update(next);
                    return new StatusChange(before, next);
                  });
          CaCertificateStatus from = result.before().status();
          if (from != status) {
            change.event(type, id, Map.of("from", from.name(), "to", status.name()));
            // Trust first, so that no new handshake succeeds once the connections are closed.
            change.tell(l -> trusted.refresh());
            change.tell(l -> l.caCertificateStatusChanged(id, from, status));
          }
          return result.after();
        });
  }

  private record StatusChange(CaCertificate before, CaCertificate after) {}

  /** AWS UpdateCACertificate --new-auto-registration-status and --registration-config. */
  public CaCertificate setAutoRegistration(
      String id, AutoRegistrationStatus status, Optional<RegistrationConfig> config, String actor) {
    return changes.run(
        "ca-certificate.updated",
        actor,
        id,
        change -> {
          CaCertificate after =
              transactor.inTransaction(
                  () -> {
                    CaCertificate before = get(id);
                    var next =
                        before.withAutoRegistration(
                            status, config.or(before::registrationConfig), change.at());
                    cas.update(next);
                    return next;
                  });
          var details = new LinkedHashMap<String, String>();
          details.put("autoRegistrationStatus", status.name());
          details.put(
              "registrationConfig", Boolean.toString(after.registrationConfig().isPresent()));
          change.event("ca-certificate.updated", id, details);
          return after;
        });
  }

  /**
   * Sets or removes (empty) the CA's JITP template; without one, auto-registration is JITR
   * (reference §2.1 {@code registrationConfig}).
   */
  public CaCertificate setRegistrationConfig(
      String id, Optional<RegistrationConfig> config, String actor) {
    return changeJustInTime(
        id, actor, (before, at) -> before.withJustInTime(config, before.jitrWebhook(), at));
  }

  /** Sets or removes (empty) the URL told of this CA's JITR registration events. */
  public CaCertificate setJitrWebhook(String id, Optional<String> url, String actor) {
    url.ifPresent(u -> RegistryRules.webhookUrl(u, "JITR webhook"));
    return changeJustInTime(
        id, actor, (before, at) -> before.withJustInTime(before.registrationConfig(), url, at));
  }

  private CaCertificate changeJustInTime(
      String id,
      String actor,
      java.util.function.BiFunction<CaCertificate, Instant, CaCertificate> edit) {
    return changes.run(
        "ca-certificate.updated",
        actor,
        id,
        change -> {
          CaCertificate after =
              transactor.inTransaction(
                  () -> {
                    CaCertificate next = edit.apply(get(id), change.at());
                    cas.update(next);
                    return next;
                  });
          var details = new LinkedHashMap<String, String>();
          details.put(
              "registrationConfig",
              after
                  .registrationConfig()
                  .map(c -> c.templateName().orElse("templateBody"))
                  .orElse("none (JITR)"));
          details.put("jitrWebhook", after.jitrWebhook().orElse("none"));
          change.event("ca-certificate.updated", id, details);
          return after;
        });
  }

  /**
   * AWS DeleteCACertificate: refused while the CA is ACTIVE (reference §6.1) or while device
   * certificates it issued are registered (they would be orphaned).
   */
  public void delete(String id, String actor) {
    changes.run(
        "ca-certificate.deleted",
        actor,
        id,
        change -> {
          transactor.inTransaction(
              () -> {
                CaCertificate ca = get(id);
                if (ca.status() == CaCertificateStatus.ACTIVE) {
                  throw RegistryException.conflict(
                      "CA certificate "
                          + id
                          + " is ACTIVE; deactivate it first (mamori ca deactivate "
                          + id
                          + ")");
                }
                long devices = cas.deviceCertificateCount(id);
                if (devices > 0) {
                  throw RegistryException.conflict(
                      "CA certificate "
                          + id
                          + " still has "
                          + devices
                          + " registered device certificate(s); a CA cannot be deleted while they"
                          + " are registered (deactivate or revoke it instead)");
                }
                cas.delete(id);
              });
          change.event("ca-certificate.deleted", id, Map.of());
          change.tell(l -> trusted.refresh());
          return null;
        });
  }
}
