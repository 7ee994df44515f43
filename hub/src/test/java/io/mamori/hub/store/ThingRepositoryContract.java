package io.mamori.hub.store;

import static io.mamori.hub.store.Records.T0;
import static io.mamori.hub.store.Records.certificate;
import static io.mamori.hub.store.Records.thing;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mamori.hub.registry.RegistryException;
import io.mamori.hub.registry.Thing;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What every {@link io.mamori.hub.registry.ThingRepository} must do. */
abstract class ThingRepositoryContract extends StoreContract {
  @Test
  void insertedThingIsFoundWithEveryField() {
    var thing = thing("sensor-1", Map.of("room", "kitchen", "floor", "2"));
    store.things().insert(thing);

    assertThat(store.things().find("sensor-1")).contains(thing);
    assertThat(store.things().find("sensor-2")).isEmpty();
  }

  @Test
  void insertingAnExistingNameIsAConflict() {
    store.things().insert(thing("sensor-1"));

    assertThatThrownBy(() -> store.things().insert(thing("sensor-1")))
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining("sensor-1")
        .extracting(e -> ((RegistryException) e).kind())
        .isEqualTo(RegistryException.Kind.CONFLICT);
  }

  @Test
  void updateReplacesAttributesTypeAndVersion() {
    store.things().insert(thing("sensor-1", Map.of("room", "kitchen")));
    var changed =
        new Thing("sensor-1", Optional.empty(), Map.of("floor", "3"), 2, T0, T0.plusSeconds(5));

    store.things().update(changed);

    assertThat(store.things().find("sensor-1")).contains(changed);
  }

  @Test
  void updatingAMissingThingIsNotFound() {
    assertRefused(() -> store.things().update(thing("ghost")), RegistryException.Kind.NOT_FOUND);
  }

  @Test
  void listIsOrderedByName() {
    store.things().insert(thing("b"));
    store.things().insert(thing("c"));
    store.things().insert(thing("a"));

    assertThat(store.things().list()).extracting(Thing::name).containsExactly("a", "b", "c");
  }

  @Test
  void deletingAThingRemovesItsAttachmentsButKeepsTheCertificate() {
    store.things().insert(thing("sensor-1"));
    store.things().insert(thing("sensor-2"));
    var cert = certificate(1);
    store.certificates().insert(cert);
    store.certificates().attachThing(cert.id(), "sensor-1");
    store.certificates().attachThing(cert.id(), "sensor-2");

    assertThat(store.things().delete("sensor-1")).isTrue();

    assertThat(store.things().find("sensor-1")).isEmpty();
    assertThat(store.certificates().find(cert.id())).contains(cert);
    assertThat(store.certificates().thingsOf(cert.id())).containsExactly("sensor-2");
    assertThat(store.certificates().certificatesOf("sensor-1")).isEmpty();
  }

  @Test
  void deletingAMissingThingReportsFalse() {
    assertThat(store.things().delete("ghost")).isFalse();
  }

  @Test
  void thingsSurviveClosingAndReopening() {
    var thing = thing("sensor-1", Map.of("room", "kitchen"));
    store.things().insert(thing);

    store = store.reopen();

    assertThat(store.things().find("sensor-1")).contains(thing);
  }

  @Test
  void aTransactionThatThrowsLeavesNothingBehind() {
    var cert = certificate(1);

    assertThatThrownBy(
            () ->
                store
                    .transactor()
                    .inTransaction(
                        () -> {
                          store.things().insert(thing("sensor-1"));
                          store.certificates().insert(cert);
                          store.certificates().attachThing(cert.id(), "sensor-1");
                          throw new IllegalStateException("boom");
                        }))
        .hasMessage("boom");

    assertThat(store.things().list()).isEmpty();
    assertThat(store.certificates().list()).isEmpty();
    assertThat(store.certificates().certificatesOf("sensor-1")).isEmpty();
  }
}
