package io.mamori.hub.store;

import static io.mamori.hub.store.Records.T0;
import static io.mamori.hub.store.Records.certificate;
import static io.mamori.hub.store.Records.policy;
import static org.assertj.core.api.Assertions.assertThat;

import io.mamori.hub.registry.Policy;
import io.mamori.hub.registry.RegistryException;
import org.junit.jupiter.api.Test;

/** What every {@link io.mamori.hub.registry.PolicyRepository} must do. */
abstract class PolicyRepositoryContract extends StoreContract {
  private static final String V2 = "{\"Version\":\"2012-10-17\",\"Statement\":[]}";

  @Test
  void insertedPolicyIsVersionOne() {
    store.policies().insert(policy("p"));

    assertThat(store.policies().find("p")).contains(policy("p"));
    assertThat(store.policies().find("q")).isEmpty();
  }

  @Test
  void insertingAnExistingNameIsAConflict() {
    store.policies().insert(policy("p"));

    assertRefused(() -> store.policies().insert(policy("p")), RegistryException.Kind.CONFLICT);
  }

  @Test
  void aNewVersionBecomesTheDefault() {
    store.policies().insert(policy("p"));

    Policy updated = store.policies().addVersion("p", V2, T0.plusSeconds(10));

    var expected = new Policy("p", V2, 2, T0, T0.plusSeconds(10));
    assertThat(updated).isEqualTo(expected);
    assertThat(store.policies().find("p")).contains(expected);
  }

  @Test
  void addingAVersionToAMissingPolicyIsNotFound() {
    assertRefused(
        () -> store.policies().addVersion("ghost", V2, T0), RegistryException.Kind.NOT_FOUND);
  }

  @Test
  void listIsOrderedByName() {
    store.policies().insert(policy("b"));
    store.policies().insert(policy("a"));

    assertThat(store.policies().list()).extracting(Policy::name).containsExactly("a", "b");
  }

  @Test
  void attachmentsAreVisibleFromBothSides() {
    store.policies().insert(policy("a"));
    store.policies().insert(policy("b"));
    var cert = certificate(1);
    store.certificates().insert(cert);

    store.policies().attach("b", cert.id());
    store.policies().attach("a", cert.id());
    store.policies().attach("a", cert.id());

    assertThat(store.policies().policiesOf(cert.id()))
        .extracting(Policy::name)
        .containsExactly("a", "b");
    assertThat(store.policies().targetsOf("a")).containsExactly(cert.id());
  }

  @Test
  void policiesOfACertificateAreTheirDefaultVersions() {
    store.policies().insert(policy("a"));
    var cert = certificate(1);
    store.certificates().insert(cert);
    store.policies().attach("a", cert.id());

    store.policies().addVersion("a", V2, T0.plusSeconds(1));

    assertThat(store.policies().policiesOf(cert.id()))
        .extracting(Policy::document)
        .containsExactly(V2);
  }

  @Test
  void attachingAMissingPolicyOrCertificateIsNotFound() {
    store.policies().insert(policy("a"));
    var cert = certificate(1);
    store.certificates().insert(cert);

    assertRefused(
        () -> store.policies().attach("ghost", cert.id()), RegistryException.Kind.NOT_FOUND);
    assertRefused(
        () -> store.policies().attach("a", certificate(2).id()), RegistryException.Kind.NOT_FOUND);
  }

  @Test
  void detachReportsWhetherThereWasAnAttachment() {
    store.policies().insert(policy("a"));
    var cert = certificate(1);
    store.certificates().insert(cert);
    store.policies().attach("a", cert.id());

    assertThat(store.policies().detach("a", cert.id())).isTrue();
    assertThat(store.policies().detach("a", cert.id())).isFalse();
    assertThat(store.policies().targetsOf("a")).isEmpty();
  }

  @Test
  void anAttachedPolicyCannotBeDeleted() {
    store.policies().insert(policy("a"));
    var cert = certificate(1);
    store.certificates().insert(cert);
    store.policies().attach("a", cert.id());

    assertRefused(() -> store.policies().delete("a"), RegistryException.Kind.CONFLICT);
    assertThat(store.policies().find("a")).isPresent();
  }

  @Test
  void deletingRemovesEveryVersion() {
    store.policies().insert(policy("a"));
    store.policies().addVersion("a", V2, T0.plusSeconds(1));

    assertThat(store.policies().delete("a")).isTrue();
    assertThat(store.policies().delete("a")).isFalse();
    assertThat(store.policies().find("a")).isEmpty();

    store.policies().insert(policy("a"));
    assertThat(store.policies().find("a")).contains(policy("a"));
  }

  @Test
  void versionsAndAttachmentsSurviveClosingAndReopening() {
    store.policies().insert(policy("a"));
    store.policies().addVersion("a", V2, T0.plusSeconds(1));
    var cert = certificate(1);
    store.certificates().insert(cert);
    store.policies().attach("a", cert.id());

    store = store.reopen();

    assertThat(store.policies().find("a")).map(Policy::defaultVersionId).contains(2);
    assertThat(store.policies().targetsOf("a")).containsExactly(cert.id());
    assertThat(
            store
                .policies()
                .addVersion("a", Records.DOCUMENT, T0.plusSeconds(2))
                .defaultVersionId())
        .isEqualTo(3);
  }
}
