package io.mamori.hub.registry;

import static io.mamori.hub.registry.RegistryFixture.ADMIN;
import static org.assertj.core.api.Assertions.assertThat;

import io.mamori.hub.events.HubEvent;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Thing names, attributes, events and deletion, on a real SQLite file. */
class ThingServiceTest extends WithRegistry {
  @Test
  void createdThingCanBeReadAndListed() {
    Thing created =
        registry.things.create(
            "sensor-1", Map.of("room", "kitchen"), Optional.of("thermometer"), "alice");

    assertThat(created.version()).isEqualTo(1);
    assertThat(registry.things.get("sensor-1")).isEqualTo(created);
    assertThat(registry.things.list()).containsExactly(created);
  }

  @Test
  void creationIsAnEventCarryingTheActor() {
    registry.things.create("sensor-1", Map.of("room", "kitchen"), Optional.empty(), "alice");

    assertThat(registry.events.published)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.type()).isEqualTo("thing.created");
              assertThat(e.actor()).isEqualTo("alice");
              assertThat(e.subject()).isEqualTo("sensor-1");
              assertThat(e.outcome()).isEqualTo(HubEvent.SUCCESS);
              assertThat(e.details()).containsEntry("attributes", "room");
            });
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "has space", "slash/name", "star*", "dollar$"})
  void badThingNamesAreRefusedWithTheRule(String name) {
    assertRefused(
        () -> registry.things.create(name, Map.of(), Optional.empty(), ADMIN),
        RegistryException.Kind.INVALID,
        "thing name must be 1-128 characters");
  }

  @Test
  void aThingNameOf128CharactersIsAcceptedAnd129Refused() {
    registry.thing("a".repeat(128));

    assertRefused(
        () -> registry.thing("a".repeat(129)), RegistryException.Kind.INVALID, "thing name");
  }

  @Test
  void attributeValuesThatCouldWidenAPolicyAreRefused() {
    assertRefused(
        () -> registry.things.create("t", Map.of("room", "*"), Optional.empty(), ADMIN),
        RegistryException.Kind.INVALID,
        "value of attribute room");
    assertRefused(
        () ->
            registry.things.create("t", Map.of("room", "${iot:ClientId}"), Optional.empty(), ADMIN),
        RegistryException.Kind.INVALID,
        "value of attribute room");
  }

  @Test
  void attributeNamesAndCountAreLimited() {
    assertRefused(
        () -> registry.things.create("t", Map.of("a b", "x"), Optional.empty(), ADMIN),
        RegistryException.Kind.INVALID,
        "attribute name");
    var many = new HashMap<String, String>();
    for (int i = 0; i <= RegistryRules.MAX_ATTRIBUTES; i++) {
      many.put("k" + i, "v");
    }
    assertRefused(
        () -> registry.things.create("t", many, Optional.empty(), ADMIN),
        RegistryException.Kind.INVALID,
        "at most 50 attributes");
  }

  @Test
  void aTakenNameIsAConflictAndAFailureEvent() {
    registry.thing("sensor-1");
    registry.clearRecords();

    assertRefused(
        () -> registry.thing("sensor-1"), RegistryException.Kind.CONFLICT, "already exists");
    assertThat(registry.events.last().outcome()).isEqualTo(HubEvent.FAILURE);
    assertThat(registry.events.last().reason()).contains("thing sensor-1 already exists");
  }

  @Test
  void mergeKeepsOtherAttributesAndAnEmptyValueRemovesOne() {
    registry.things.create(
        "t", Map.of("room", "kitchen", "floor", "2", "owner", "bob"), Optional.empty(), ADMIN);

    Thing updated =
        registry.things.updateAttributes("t", Map.of("floor", "3", "owner", ""), true, ADMIN);

    assertThat(updated.attributes()).isEqualTo(Map.of("room", "kitchen", "floor", "3"));
    assertThat(updated.version()).isEqualTo(2);
    assertThat(registry.things.get("t")).isEqualTo(updated);
  }

  @Test
  void replaceDropsAttributesNotNamed() {
    registry.things.create("t", Map.of("room", "kitchen", "floor", "2"), Optional.empty(), ADMIN);

    Thing updated = registry.things.updateAttributes("t", Map.of("floor", "3"), false, ADMIN);

    assertThat(updated.attributes()).isEqualTo(Map.of("floor", "3"));
  }

  @Test
  void anAttributeChangeIsToldToTheListenerAfterCommit() {
    registry.thing("t");
    registry.clearRecords();

    registry.things.updateAttributes("t", Map.of("room", "hall"), true, "alice");

    assertThat(registry.listener.calls).containsExactly("thing t committedExists=true");
    assertThat(registry.events.published)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.type()).isEqualTo("thing.updated");
              assertThat(e.actor()).isEqualTo("alice");
              assertThat(e.details()).containsEntry("version", "2");
            });
  }

  @Test
  void updatingAMissingThingIsNotFound() {
    assertRefused(
        () -> registry.things.updateAttributes("ghost", Map.of(), true, ADMIN),
        RegistryException.Kind.NOT_FOUND,
        "thing ghost not found");
    assertThat(registry.listener.calls).isEmpty();
  }

  @Test
  void deletingDetachesCertificatesButKeepsThemRegistered() {
    registry.thing("t");
    var cert = registry.certificateFor("t");
    registry.clearRecords();

    registry.things.delete("t", "alice");

    assertRefused(() -> registry.things.get("t"), RegistryException.Kind.NOT_FOUND, "thing t");
    assertThat(registry.certificates.get(cert.id()).status()).isEqualTo(CertificateStatus.ACTIVE);
    assertThat(registry.certificates.thingsOf(cert.id())).isEmpty();
    assertThat(registry.listener.calls).containsExactly("thing t committedExists=false");
    assertThat(registry.events.published)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.type()).isEqualTo("thing.deleted");
              assertThat(e.actor()).isEqualTo("alice");
              assertThat(e.details()).containsEntry("detachedCertificates", cert.id());
            });
  }

  @Test
  void deletingAMissingThingIsNotFoundAndTellsNobody() {
    assertRefused(
        () -> registry.things.delete("ghost", ADMIN), RegistryException.Kind.NOT_FOUND, "ghost");
    assertThat(registry.listener.calls).isEmpty();
    assertThat(registry.events.last().outcome()).isEqualTo(HubEvent.FAILURE);
  }

  @Test
  void thingsSurviveARestart() {
    registry.things.create("t", Map.of("room", "kitchen"), Optional.empty(), ADMIN);

    registry = registry.restart();

    assertThat(registry.things.get("t").attributes()).containsEntry("room", "kitchen");
  }
}
