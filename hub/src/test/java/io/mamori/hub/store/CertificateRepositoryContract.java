package io.mamori.hub.store;

import static io.mamori.hub.store.Records.T0;
import static io.mamori.hub.store.Records.certificate;
import static io.mamori.hub.store.Records.thing;
import static org.assertj.core.api.Assertions.assertThat;

import io.mamori.hub.pki.RevocationReason;
import io.mamori.hub.registry.CertificateStatus;
import io.mamori.hub.registry.DeviceCertificate;
import io.mamori.hub.registry.RegistryException;
import io.mamori.hub.registry.Revocation;
import io.mamori.hub.registry.RevokedSerial;
import org.junit.jupiter.api.Test;

/** What every {@link io.mamori.hub.registry.CertificateRepository} must do. */
abstract class CertificateRepositoryContract extends StoreContract {
  @Test
  void insertedCertificateIsFoundWithEveryField() {
    var cert = certificate(1);
    store.certificates().insert(cert);

    assertThat(store.certificates().find(cert.id())).contains(cert);
    assertThat(store.certificates().find(certificate(2).id())).isEmpty();
  }

  @Test
  void insertingAnExistingIdIsAConflict() {
    store.certificates().insert(certificate(1));

    assertRefused(
        () -> store.certificates().insert(certificate(1)), RegistryException.Kind.CONFLICT);
  }

  @Test
  void updateChangesStatusAndUpdatedAt() {
    var cert = certificate(1);
    store.certificates().insert(cert);
    var revoked = cert.withStatus(CertificateStatus.REVOKED, T0.plusSeconds(30));

    store.certificates().update(revoked);

    assertThat(store.certificates().find(cert.id())).contains(revoked);
  }

  @Test
  void revocationTimeAndReasonAreKept() {
    var cert = certificate(1);
    store.certificates().insert(cert);
    var revoked = cert.revoked(new Revocation(T0.plusSeconds(30), RevocationReason.KEY_COMPROMISE));

    store.certificates().update(revoked);

    assertThat(store.certificates().find(cert.id())).contains(revoked);
    assertThat(revoked.status()).isEqualTo(CertificateStatus.REVOKED);
  }

  @Test
  void findsACertificateByItsIssuerAndSerial() {
    var cert = certificate(1);
    store.certificates().insert(cert);

    assertThat(store.certificates().findBySerial(cert.caCertificateId(), cert.serialNumber()))
        .contains(cert);
    assertThat(store.certificates().findBySerial("d".repeat(64), cert.serialNumber())).isEmpty();
    assertThat(store.certificates().findBySerial(cert.caCertificateId(), "99")).isEmpty();
  }

  @Test
  void revokedByListsOnlyRevokedCertificatesOfThatCa() {
    var first = certificate(1);
    var second = certificate(2);
    var active = certificate(3);
    store.certificates().insert(first);
    store.certificates().insert(second);
    store.certificates().insert(active);
    store
        .certificates()
        .update(first.revoked(new Revocation(T0.plusSeconds(5), RevocationReason.SUPERSEDED)));
    // set REVOKED without details, as code predating revocation reasons did
    store.certificates().update(second.withStatus(CertificateStatus.REVOKED, T0.plusSeconds(9)));

    assertThat(store.certificates().revokedBy(first.caCertificateId()))
        .containsExactly(
            new RevokedSerial(
                first.serialNumber(),
                new Revocation(T0.plusSeconds(5), RevocationReason.SUPERSEDED)),
            new RevokedSerial(
                second.serialNumber(),
                new Revocation(T0.plusSeconds(9), RevocationReason.UNSPECIFIED)));
    assertThat(store.certificates().revokedBy("d".repeat(64))).isEmpty();
  }

  @Test
  void updatingAMissingCertificateIsNotFound() {
    assertRefused(
        () -> store.certificates().update(certificate(9)), RegistryException.Kind.NOT_FOUND);
  }

  @Test
  void listHoldsEveryCertificate() {
    store.certificates().insert(certificate(1));
    store.certificates().insert(certificate(2));

    assertThat(store.certificates().list())
        .extracting(DeviceCertificate::id)
        .containsExactlyInAnyOrder(certificate(1).id(), certificate(2).id());
  }

  @Test
  void attachmentsAreVisibleFromBothSides() {
    store.things().insert(thing("a"));
    store.things().insert(thing("b"));
    var one = certificate(1);
    var two = certificate(2);
    store.certificates().insert(one);
    store.certificates().insert(two);

    store.certificates().attachThing(one.id(), "b");
    store.certificates().attachThing(one.id(), "a");
    store.certificates().attachThing(two.id(), "a");

    assertThat(store.certificates().thingsOf(one.id())).containsExactly("a", "b");
    assertThat(store.certificates().certificatesOf("a"))
        .containsExactlyInAnyOrder(one.id(), two.id());
  }

  @Test
  void attachingTwiceIsHarmless() {
    store.things().insert(thing("a"));
    var cert = certificate(1);
    store.certificates().insert(cert);

    store.certificates().attachThing(cert.id(), "a");
    store.certificates().attachThing(cert.id(), "a");

    assertThat(store.certificates().thingsOf(cert.id())).containsExactly("a");
  }

  @Test
  void attachingToAMissingThingOrCertificateIsNotFound() {
    store.things().insert(thing("a"));
    var cert = certificate(1);
    store.certificates().insert(cert);

    assertRefused(
        () -> store.certificates().attachThing(cert.id(), "ghost"),
        RegistryException.Kind.NOT_FOUND);
    assertRefused(
        () -> store.certificates().attachThing(certificate(2).id(), "a"),
        RegistryException.Kind.NOT_FOUND);
  }

  @Test
  void detachReportsWhetherThereWasAnAttachment() {
    store.things().insert(thing("a"));
    var cert = certificate(1);
    store.certificates().insert(cert);
    store.certificates().attachThing(cert.id(), "a");

    assertThat(store.certificates().detachThing(cert.id(), "a")).isTrue();
    assertThat(store.certificates().detachThing(cert.id(), "a")).isFalse();
    assertThat(store.certificates().thingsOf(cert.id())).isEmpty();
  }

  @Test
  void statusAndAttachmentsSurviveClosingAndReopening() {
    store.things().insert(thing("a"));
    var revoked = certificate(1).withStatus(CertificateStatus.REVOKED, T0.plusSeconds(1));
    store.certificates().insert(certificate(1));
    store.certificates().update(revoked);
    store.certificates().attachThing(revoked.id(), "a");

    store = store.reopen();

    assertThat(store.certificates().find(revoked.id())).contains(revoked);
    assertThat(store.certificates().thingsOf(revoked.id())).containsExactly("a");
  }
}
