package io.mamori.hub.groups;

import static io.mamori.hub.groups.GroupsFixture.ACTOR;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mamori.hub.store.SqliteThingGroupRepository;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fleet of {@value #THINGS} things: membership is right at that size. The printed figures are
 * reported, not asserted (speed belongs in benchmarks).
 */
class FleetScaleTest {
  static final int THINGS = 5_000;

  @TempDir Path dir;
  private GroupsFixture hub;

  @BeforeEach
  void fleet() {
    hub = new GroupsFixture(dir);
    hub.groups.createStatic("site", Optional.empty(), Optional.empty(), Map.of(), ACTOR);
    hub.groups.createStatic("floor", Optional.of("site"), Optional.empty(), Map.of(), ACTOR);
    hub.groups.createStatic("room", Optional.of("floor"), Optional.empty(), Map.of(), ACTOR);
    hub.policies.create("p", GroupPoliciesTest.DEVICE_POLICY, ACTOR);
    hub.groups.attachPolicy("site", "p", ACTOR);
    // One transaction: one fsync for the whole fleet instead of one per thing.
    hub.database.inTransaction(
        () -> {
          for (int i = 0; i < THINGS; i++) {
            hub.thing(String.format("dev-%05d", i), "model=" + (i % 2 == 0 ? "cam-a" : "th-b"));
            if (i % 10 == 0) {
              hub.groups.addThing("room", String.format("dev-%05d", i), ACTOR);
            }
          }
        });
  }

  @AfterEach
  void close() {
    hub.close();
  }

  @Test
  void dynamicGroupOverTheWholeFleet() {
    long start = System.nanoTime();
    hub.groups.createDynamic(
        "cams",
        "attributes.model:cam-* AND NOT connectivity.connected:true",
        Optional.empty(),
        Map.of(),
        ACTOR);
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> hub.membership.status("cams").orElseThrow() == FleetMembership.Status.ACTIVE);
    long built = System.nanoTime() - start;
    assertThat(hub.membership.thingsIn("cams", false)).hasSize(THINGS / 2);

    start = System.nanoTime();
    for (int i = 0; i < 1000; i++) {
      hub.brokerEvent("mqtt.connect", String.format("dev-%05d", i), "s" + i);
    }
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> hub.membership.thingsIn("cams", false).size() == THINGS / 2 - 500);
    long reevaluated = System.nanoTime() - start;

    var repository = new SqliteThingGroupRepository(hub.database);
    start = System.nanoTime();
    for (int i = 0; i < 1000; i++) {
      assertThat(repository.policiesOfThing(String.format("dev-%05d", i * 10 % THINGS))).hasSize(1);
    }
    long lookups = System.nanoTime() - start;
    start = System.nanoTime();
    for (int i = 0; i < 1000; i++) {
      hub.things.get(String.format("dev-%05d", i * 10 % THINGS));
    }
    long baseline = System.nanoTime() - start;
    System.out.printf(
        "fleet of %d: dynamic group built in %d ms; 1000 connects re-evaluated in %d ms;"
            + " group policies of a thing at CONNECT (3-level hierarchy): %d us each"
            + " (a thing lookup by name: %d us)%n",
        THINGS,
        built / 1_000_000,
        reevaluated / 1_000_000,
        lookups / 1000 / 1000,
        baseline / 1000 / 1000);
    assertThat(hub.membership.thingsIn("site", true)).hasSize(THINGS / 10);
  }
}
