package io.mamori.hub.registry;

import static io.mamori.hub.registry.PolicyDocuments.ALLOW_CONNECT;
import static io.mamori.hub.registry.PolicyDocuments.ALLOW_PUBLISH;
import static io.mamori.hub.registry.RegistryFixture.ADMIN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mamori.hub.events.HubEvent;
import io.mamori.hub.policy.PolicyDocument;
import io.mamori.hub.policy.PolicyParseException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Policy creation with the real parser, versions, attachments and the delete rule. */
class PolicyServiceTest extends WithRegistry {
  private static String parserMessage(String document) {
    try {
      PolicyDocument.parse(document);
    } catch (PolicyParseException e) {
      return e.getMessage();
    }
    throw new AssertionError("the parser accepted " + document);
  }

  @Test
  void createdPolicyIsVersionOneAndAnEvent() {
    Policy created = registry.policies.create("device-policy", ALLOW_CONNECT, "alice");

    assertThat(created.defaultVersionId()).isEqualTo(1);
    assertThat(registry.policies.get("device-policy")).isEqualTo(created);
    assertThat(registry.policies.list()).containsExactly(created);
    assertThat(registry.events.published)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.type()).isEqualTo("policy.created");
              assertThat(e.actor()).isEqualTo("alice");
              assertThat(e.subject()).isEqualTo("device-policy");
            });
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"Version\": \"2012-10-17\", \"Statement\": [",
        "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Maybe\","
            + " \"Action\": \"iot:Connect\", \"Resource\": \"*\"}]}"
      })
  void aDocumentThatDoesNotParseIsRefusedWithTheParsersMessage(String document) {
    assertThatThrownBy(() -> registry.policies.create("p", document, ADMIN))
        .isInstanceOf(RegistryException.class)
        .hasMessage("policy document is invalid: " + parserMessage(document))
        .extracting(e -> ((RegistryException) e).kind())
        .isEqualTo(RegistryException.Kind.INVALID);

    assertThat(registry.policies.list()).isEmpty();
    assertThat(registry.events.last().outcome()).isEqualTo(HubEvent.FAILURE);
    assertThat(registry.events.last().reason()).startsWith("policy document is invalid: ");
  }

  @Test
  void anUpdateWithAnInvalidDocumentKeepsTheCurrentVersion() {
    registry.policies.create("p", ALLOW_CONNECT, ADMIN);

    assertRefused(
        () -> registry.policies.update("p", "[]", ADMIN),
        RegistryException.Kind.INVALID,
        "policy document is invalid: ");
    assertThat(registry.policies.get("p").defaultVersionId()).isEqualTo(1);
  }

  @Test
  void documentsOverTheAwsSizeLimitAreRefused() {
    String padding = "x".repeat(RegistryRules.MAX_POLICY_CHARACTERS);
    String big =
        ALLOW_CONNECT.replace("\"2012-10-17\"", "\"2012-10-17\", \"Sid\": \"" + padding + "\"");

    assertRefused(
        () -> registry.policies.create("p", big, ADMIN), RegistryException.Kind.INVALID, "2048");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "has space", "slash/name", "star*"})
  void badPolicyNamesAreRefusedWithTheRule(String name) {
    assertRefused(
        () -> registry.policies.create(name, ALLOW_CONNECT, ADMIN),
        RegistryException.Kind.INVALID,
        "policy name must be 1-128 characters");
  }

  @Test
  void aTakenNameIsAConflict() {
    registry.policies.create("p", ALLOW_CONNECT, ADMIN);

    assertRefused(
        () -> registry.policies.create("p", ALLOW_CONNECT, ADMIN),
        RegistryException.Kind.CONFLICT,
        "policy p already exists");
  }

  @Test
  void anUpdateIsANewDefaultVersionToldToEveryAttachedCertificate() {
    registry.thing("t");
    var one = registry.certificateFor("t");
    var two = registry.certificateFor("t");
    var unrelated = registry.certificateFor("t");
    registry.policies.create("p", ALLOW_CONNECT, ADMIN);
    registry.policies.attach("p", one.id(), ADMIN);
    registry.policies.attach("p", two.id(), ADMIN);
    registry.clearRecords();

    Policy updated = registry.policies.update("p", ALLOW_PUBLISH, "alice");

    assertThat(updated.defaultVersionId()).isEqualTo(2);
    assertThat(registry.policies.get("p").document()).isEqualTo(ALLOW_PUBLISH);
    assertThat(registry.listener.calls)
        .containsExactlyInAnyOrder(
            "permissions " + one.id() + " committed=[p:2]",
            "permissions " + two.id() + " committed=[p:2]")
        .noneMatch(call -> call.contains(unrelated.id()));
    assertThat(registry.events.published)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.type()).isEqualTo("policy.updated");
              assertThat(e.actor()).isEqualTo("alice");
              assertThat(e.details()).containsEntry("version", "2");
            });
  }

  @Test
  void updatingAMissingPolicyIsNotFound() {
    assertRefused(
        () -> registry.policies.update("ghost", ALLOW_CONNECT, ADMIN),
        RegistryException.Kind.NOT_FOUND,
        "policy ghost not found");
  }

  @Test
  void anAttachedPolicyCannotBeDeleted() {
    registry.thing("t");
    var one = registry.certificateFor("t");
    var two = registry.certificateFor("t");
    registry.policies.create("p", ALLOW_CONNECT, ADMIN);
    registry.policies.attach("p", one.id(), ADMIN);
    registry.policies.attach("p", two.id(), ADMIN);

    assertRefused(
        () -> registry.policies.delete("p", ADMIN),
        RegistryException.Kind.CONFLICT,
        "policy p is attached to 2 certificates; detach it first");
    assertThat(registry.policies.get("p")).isNotNull();
  }

  @Test
  void aDetachedPolicyCanBeDeleted() {
    registry.thing("t");
    var cert = registry.certificateFor("t");
    registry.policies.create("p", ALLOW_CONNECT, ADMIN);
    registry.policies.attach("p", cert.id(), ADMIN);
    registry.policies.detach("p", cert.id(), ADMIN);
    registry.clearRecords();

    registry.policies.delete("p", "alice");

    assertRefused(() -> registry.policies.get("p"), RegistryException.Kind.NOT_FOUND, "policy p");
    assertThat(registry.events.published)
        .singleElement()
        .satisfies(e -> assertThat(e.type()).isEqualTo("policy.deleted"));
  }

  @Test
  void attachAndDetachAreToldToTheCertificateAfterCommit() {
    registry.thing("t");
    var cert = registry.certificateFor("t");
    registry.policies.create("p", ALLOW_CONNECT, ADMIN);
    registry.clearRecords();

    registry.policies.attach("p", cert.id(), "alice");
    assertThat(registry.policies.policiesOf(cert.id()))
        .extracting(Policy::name)
        .containsExactly("p");
    assertThat(registry.policies.targetsOf("p")).containsExactly(cert.id());
    registry.policies.detach("p", cert.id(), "alice");

    assertThat(registry.policies.policiesOf(cert.id())).isEmpty();
    assertThat(registry.listener.calls)
        .containsExactly(
            "permissions " + cert.id() + " committed=[p:1]",
            "permissions " + cert.id() + " committed=[]");
    assertThat(registry.events.published)
        .extracting(HubEvent::type)
        .containsExactly("policy.attached", "policy.detached");
    assertThat(registry.events.published)
        .allSatisfy(
            e -> {
              assertThat(e.actor()).isEqualTo("alice");
              assertThat(e.subject()).isEqualTo(cert.id());
              assertThat(e.details()).containsEntry("policy", "p");
            });
  }

  @Test
  void attachingToAnUnknownCertificateOrDetachingWhatIsNotAttachedIsNotFound() {
    registry.thing("t");
    var cert = registry.certificateFor("t");
    registry.policies.create("p", ALLOW_CONNECT, ADMIN);

    assertRefused(
        () -> registry.policies.attach("p", "b".repeat(64), ADMIN),
        RegistryException.Kind.NOT_FOUND,
        "certificate " + "b".repeat(64) + " not found");
    assertRefused(
        () -> registry.policies.attach("ghost", cert.id(), ADMIN),
        RegistryException.Kind.NOT_FOUND,
        "policy ghost not found");
    assertRefused(
        () -> registry.policies.detach("p", cert.id(), ADMIN),
        RegistryException.Kind.NOT_FOUND,
        "policy p is not attached to certificate " + cert.id());
  }

  @Test
  void aCertificateTakesAtMostTenPolicies() {
    registry.thing("t");
    var cert = registry.certificateFor("t");
    for (int i = 0; i < RegistryRules.MAX_POLICIES_PER_CERTIFICATE; i++) {
      registry.policies.create("p" + i, ALLOW_CONNECT, ADMIN);
      registry.policies.attach("p" + i, cert.id(), ADMIN);
    }
    registry.policies.create("one-too-many", ALLOW_CONNECT, ADMIN);

    assertRefused(
        () -> registry.policies.attach("one-too-many", cert.id(), ADMIN),
        RegistryException.Kind.CONFLICT,
        "already has 10 policies attached");
    registry.policies.attach("p0", cert.id(), ADMIN); // attaching again stays allowed
  }

  @Test
  void policiesAndAttachmentsSurviveARestart() {
    registry.thing("t");
    var cert = registry.certificateFor("t");
    registry.policies.create("p", ALLOW_CONNECT, ADMIN);
    registry.policies.update("p", ALLOW_PUBLISH, ADMIN);
    registry.policies.attach("p", cert.id(), ADMIN);

    registry = registry.restart();

    assertThat(registry.policies.get("p").defaultVersionId()).isEqualTo(2);
    assertThat(registry.policies.policiesOf(cert.id()))
        .extracting(Policy::document)
        .containsExactly(ALLOW_PUBLISH);
  }
}
