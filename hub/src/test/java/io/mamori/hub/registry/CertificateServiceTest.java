package io.mamori.hub.registry;

import static io.mamori.hub.registry.RegistryFixture.ADMIN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mamori.hub.events.HubEvent;
import io.mamori.hub.pki.CertificateIds;
import io.mamori.hub.pki.RevocationReason;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Issuing, status rules and thing attachments of device certificates, on real SQLite and a real CA.
 */
class CertificateServiceTest extends WithRegistry {
  private static X509Certificate parse(String pem) throws Exception {
    return (X509Certificate)
        CertificateFactory.getInstance("X.509")
            .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
  }

  private IssuedDeviceCertificate issue(
      String thing, Optional<String> csr, Optional<String> policy) {
    return registry.certificates.issue(
        new IssueRequest(thing, csr, policy, Optional.empty()), "alice");
  }

  @Test
  void issuingWithoutCsrRegistersAnActiveCertificateAttachedToThingAndPolicy() throws Exception {
    registry.thing("sensor-1");
    registry.policies.create("p", PolicyDocuments.ALLOW_CONNECT, ADMIN);
    registry.clearRecords();

    var issued = issue("sensor-1", Optional.empty(), Optional.of("p"));

    var cert = issued.certificate();
    X509Certificate x509 = parse(cert.pem());
    assertThat(cert.id()).isEqualTo(CertificateIds.of(x509)).matches("[0-9a-f]{64}");
    assertThat(cert.status()).isEqualTo(CertificateStatus.ACTIVE);
    assertThat(cert.subject()).isEqualTo("CN=sensor-1");
    assertThat(cert.issuer())
        .isEqualTo(registry.authority.issuingCertificate().getSubjectX500Principal().getName());
    assertThat(cert.serialNumber()).isEqualTo(x509.getSerialNumber().toString(16)).isLowerCase();
    assertThat(cert.caCertificateId()).isEqualTo(registry.authority.issuingCertificateId());
    assertThat(issued.privateKeyPem())
        .hasValueSatisfying(k -> assertThat(k).contains("PRIVATE KEY"));
    assertThat(issued.caChainPem()).isEqualTo(registry.authority.chainPem());
    assertThat(registry.certificates.get(cert.id())).isEqualTo(cert);
    assertThat(registry.certificates.thingsOf(cert.id())).containsExactly("sensor-1");
    assertThat(registry.policies.policiesOf(cert.id()))
        .extracting(Policy::name)
        .containsExactly("p");
    assertThat(registry.events.published)
        .extracting(HubEvent::type)
        .containsExactly("certificate.issued", "certificate.thing-attached", "policy.attached");
    assertThat(registry.events.published).allSatisfy(e -> assertThat(e.actor()).isEqualTo("alice"));
    assertThat(registry.listener.calls)
        .containsExactly(
            "thing sensor-1 committedExists=true", "permissions " + cert.id() + " committed=[p:1]");
  }

  @Test
  void issuingWithACsrCertifiesTheDevicesKeyAndReturnsNoKey() throws Exception {
    registry.thing("sensor-1");
    var keys = Csrs.ecP256();

    var issued = issue("sensor-1", Optional.of(Csrs.csrPem(keys, "CN=whatever")), Optional.empty());

    assertThat(issued.privateKeyPem()).isEmpty();
    assertThat(parse(issued.certificate().pem()).getPublicKey()).isEqualTo(keys.getPublic());
    assertThat(registry.events.ofType("certificate.issued").get(0).details())
        .containsEntry("keyGeneratedByHub", "false");
  }

  @Test
  void theRequestedValidityIsUsed() throws Exception {
    registry.thing("t");

    var issued =
        registry.certificates.issue(
            new IssueRequest("t", Optional.empty(), Optional.empty(), Optional.of(30)), ADMIN);

    var cert = issued.certificate();
    assertThat(Duration.between(cert.notBefore(), cert.notAfter()))
        .isBetween(Duration.ofDays(30), Duration.ofDays(30).plusHours(1));
  }

  @Test
  void issuingForAMissingThingFailsWithAHintAndLeavesNothing() {
    assertRefused(
        () -> issue("ghost", Optional.empty(), Optional.empty()),
        RegistryException.Kind.NOT_FOUND,
        "thing ghost not found");

    assertThatThrownBy(() -> issue("ghost", Optional.empty(), Optional.empty()))
        .hasMessageContaining("mamori thing create ghost");
    assertThat(registry.certificates.list()).isEmpty();
    assertThat(registry.listener.calls).isEmpty();
    assertThat(registry.events.last().outcome()).isEqualTo(HubEvent.FAILURE);
    assertThat(registry.events.last().type()).isEqualTo("certificate.issued");
  }

  @Test
  void issuingWithAMissingPolicyIsNotFound() {
    registry.thing("t");

    assertRefused(
        () -> issue("t", Optional.empty(), Optional.of("nope")),
        RegistryException.Kind.NOT_FOUND,
        "policy nope not found");
    assertThat(registry.certificates.list()).isEmpty();
  }

  @Test
  void aWeakCsrIsInvalidWithTheCasReason() throws Exception {
    registry.thing("t");
    String weak = Csrs.csrPem(Csrs.rsa(1024), "CN=t");

    assertRefused(
        () -> issue("t", Optional.of(weak), Optional.empty()),
        RegistryException.Kind.INVALID,
        "CSR rejected: ");
    assertThat(registry.certificates.list()).isEmpty();
  }

  @Test
  void validityOutsideTheLimitsIsInvalid() {
    registry.thing("t");

    assertRefused(
        () ->
            registry.certificates.issue(
                new IssueRequest("t", Optional.empty(), Optional.empty(), Optional.of(0)), ADMIN),
        RegistryException.Kind.INVALID,
        "validity must be 1 to");
  }

  @Test
  void anIssueWhoseTransactionFailsLeavesNothingAndTellsNobody() {
    registry.thing("t");
    registry.clearRecords();
    registry.certificateRepository.failAfter("attachThing");

    assertThatThrownBy(() -> issue("t", Optional.empty(), Optional.empty()))
        .hasMessageContaining("injected failure");

    assertThat(registry.certificates.list()).isEmpty();
    assertThat(registry.things.certificatesOf("t")).isEmpty();
    assertThat(registry.listener.calls).isEmpty();
    assertThat(registry.events.published)
        .singleElement()
        .satisfies(e -> assertThat(e.outcome()).isEqualTo(HubEvent.FAILURE));
  }

  @Test
  void revocationIsToldAfterCommitWithActorAndReason() {
    registry.thing("t");
    var cert = registry.certificateFor("t");
    registry.clearRecords();

    var revoked =
        registry.certificates.setStatus(
            cert.id(), CertificateStatus.REVOKED, "alice", "key leaked");

    assertThat(revoked.status()).isEqualTo(CertificateStatus.REVOKED);
    assertThat(registry.listener.calls)
        .containsExactly("status " + cert.id() + " ACTIVE->REVOKED committed=REVOKED");
    assertThat(registry.events.published)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.type()).isEqualTo("certificate.revoked");
              assertThat(e.actor()).isEqualTo("alice");
              assertThat(e.subject()).isEqualTo(cert.id());
              assertThat(e.reason()).isEqualTo("key leaked");
              assertThat(e.details())
                  .containsEntry("from", "ACTIVE")
                  .containsEntry("to", "REVOKED");
            });
  }

  @Test
  void deactivationAndReactivationAreStatusChanges() {
    registry.thing("t");
    var cert = registry.certificateFor("t");
    registry.clearRecords();

    registry.certificates.setStatus(cert.id(), CertificateStatus.INACTIVE, ADMIN);
    registry.certificates.setStatus(cert.id(), CertificateStatus.ACTIVE, ADMIN);

    assertThat(registry.events.published)
        .extracting(HubEvent::type)
        .containsExactly("certificate.status-changed", "certificate.status-changed");
    assertThat(registry.listener.calls)
        .containsExactly(
            "status " + cert.id() + " ACTIVE->INACTIVE committed=INACTIVE",
            "status " + cert.id() + " INACTIVE->ACTIVE committed=ACTIVE");
  }

  @Test
  void revokeRecordsTimeAndReasonForCrlAndOcsp() {
    registry.thing("t");
    var cert = registry.certificateFor("t");
    registry.clearRecords();

    var revoked =
        registry.certificates.revoke(cert.id(), RevocationReason.KEY_COMPROMISE, ADMIN, "");

    assertThat(revoked.status()).isEqualTo(CertificateStatus.REVOKED);
    assertThat(revoked.revocation()).isPresent();
    assertThat(revoked.revocation().get().reason()).isEqualTo(RevocationReason.KEY_COMPROMISE);
    assertThat(revoked.revocation().get().revokedAt()).isEqualTo(revoked.updatedAt());
    assertThat(registry.certificates.get(cert.id())).isEqualTo(revoked);
    assertThat(registry.listener.calls)
        .containsExactly("status " + cert.id() + " ACTIVE->REVOKED committed=REVOKED");
    // revoking again changes nothing, not even the reason
    var again = registry.certificates.revoke(cert.id(), RevocationReason.SUPERSEDED, ADMIN, "");
    assertThat(again).isEqualTo(revoked);
  }

  @Test
  void plainRevocationIsUnspecified() {
    registry.thing("t");
    var cert = registry.certificateFor("t");

    var revoked = registry.certificates.setStatus(cert.id(), CertificateStatus.REVOKED, ADMIN);

    assertThat(revoked.revocation().orElseThrow().reason()).isEqualTo(RevocationReason.UNSPECIFIED);
  }

  @Test
  void revocationIsFinal() {
    registry.thing("t");
    var cert = registry.certificateFor("t");
    registry.certificates.setStatus(cert.id(), CertificateStatus.REVOKED, ADMIN);
    registry.clearRecords();

    assertRefused(
        () -> registry.certificates.setStatus(cert.id(), CertificateStatus.ACTIVE, ADMIN),
        RegistryException.Kind.CONFLICT,
        "revocation is final");
    assertRefused(
        () -> registry.certificates.setStatus(cert.id(), CertificateStatus.INACTIVE, ADMIN),
        RegistryException.Kind.CONFLICT,
        "revoked");

    assertThat(registry.certificates.get(cert.id()).status()).isEqualTo(CertificateStatus.REVOKED);
    assertThat(registry.listener.calls).isEmpty();
  }

  @Test
  void revocationSurvivesARestart() {
    registry.thing("t");
    var cert = registry.certificateFor("t");
    registry.certificates.setStatus(cert.id(), CertificateStatus.REVOKED, ADMIN);

    registry = registry.restart();

    assertThat(registry.certificates.get(cert.id()).status()).isEqualTo(CertificateStatus.REVOKED);
  }

  @Test
  void pendingActivationCannotBeSetByAnOperator() {
    registry.thing("t");
    var cert = registry.certificateFor("t");

    assertRefused(
        () ->
            registry.certificates.setStatus(cert.id(), CertificateStatus.PENDING_ACTIVATION, ADMIN),
        RegistryException.Kind.INVALID,
        "PENDING_ACTIVATION cannot be set by an operator");
  }

  @Test
  void settingTheCurrentStatusChangesNothing() {
    registry.thing("t");
    var cert = registry.certificateFor("t");
    registry.clearRecords();

    registry.certificates.setStatus(cert.id(), CertificateStatus.ACTIVE, ADMIN);

    assertThat(registry.events.published).isEmpty();
    assertThat(registry.listener.calls).isEmpty();
  }

  @Test
  void aStatusChangeWhoseTransactionFailsIsRolledBackAndToldToNobody() {
    registry.thing("t");
    var cert = registry.certificateFor("t");
    registry.clearRecords();
    registry.certificateRepository.failAfter("update");

    assertThatThrownBy(
            () -> registry.certificates.setStatus(cert.id(), CertificateStatus.REVOKED, ADMIN))
        .hasMessageContaining("injected failure");

    assertThat(registry.certificates.get(cert.id()).status()).isEqualTo(CertificateStatus.ACTIVE);
    assertThat(registry.listener.calls).isEmpty();
    assertThat(registry.events.published)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.type()).isEqualTo("certificate.revoked");
              assertThat(e.outcome()).isEqualTo(HubEvent.FAILURE);
            });
  }

  @Test
  void aChangeInsideALargerTransactionThatRollsBackIsToldToNobody() {
    registry.thing("t");
    var cert = registry.certificateFor("t");
    registry.clearRecords();

    assertThatThrownBy(
            () ->
                registry.db.inTransaction(
                    () -> {
                      registry.certificates.setStatus(cert.id(), CertificateStatus.REVOKED, ADMIN);
                      assertThat(registry.listener.calls).isEmpty();
                      throw new IllegalStateException("the larger change fails");
                    }))
        .hasMessage("the larger change fails");

    assertThat(registry.certificates.get(cert.id()).status()).isEqualTo(CertificateStatus.ACTIVE);
    assertThat(registry.listener.calls).isEmpty();
    assertThat(registry.events.published).isEmpty();
  }

  @Test
  void malformedAndUnknownIdsAreRefused() {
    assertRefused(
        () -> registry.certificates.get("ABC"), RegistryException.Kind.INVALID, "64 lowercase hex");
    assertRefused(
        () -> registry.certificates.get("a".repeat(64)),
        RegistryException.Kind.NOT_FOUND,
        "certificate " + "a".repeat(64) + " not found");
  }

  @Test
  void attachingAndDetachingThingsIsToldAndRecorded() {
    registry.thing("t");
    registry.thing("u");
    var cert = registry.certificateFor("t");
    registry.clearRecords();

    registry.certificates.attachThing(cert.id(), "u", "alice");
    registry.certificates.detachThing(cert.id(), "t", "alice");

    assertThat(registry.certificates.thingsOf(cert.id())).containsExactly("u");
    assertThat(registry.events.published)
        .extracting(HubEvent::type)
        .containsExactly("certificate.thing-attached", "certificate.thing-detached");
    assertThat(registry.listener.calls)
        .containsExactly("thing u committedExists=true", "thing t committedExists=true");
    assertRefused(
        () -> registry.certificates.detachThing(cert.id(), "t", ADMIN),
        RegistryException.Kind.NOT_FOUND,
        "is not attached");
    assertRefused(
        () -> registry.certificates.attachThing(cert.id(), "ghost", ADMIN),
        RegistryException.Kind.NOT_FOUND,
        "thing ghost");
  }
}
