package io.mamori.hub.groups;

import static io.mamori.hub.groups.GroupsFixture.ACTOR;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Dynamic group membership follows attribute changes, connectivity and query changes. */
class DynamicGroupsTest {
  @TempDir Path dir;
  private GroupsFixture hub;

  @BeforeEach
  void open() {
    hub = new GroupsFixture(dir);
    hub.thing("cam-1", "model=cam-x2");
    hub.thing("cam-2", "model=cam-y1");
    hub.thing("th-1", "model=therm");
  }

  @AfterEach
  void close() {
    hub.close();
  }

  private Set<String> members(String group) {
    return hub.membership.thingsIn(group, false);
  }

  @Test
  void followsConnectivityAndAttributes() {
    hub.groups.createDynamic(
        "online-cams",
        "attributes.model:cam-* AND connectivity.connected:true",
        Optional.empty(),
        Map.of(),
        ACTOR);
    await()
        .until(
            () ->
                hub.membership.status("online-cams").orElseThrow()
                    == FleetMembership.Status.ACTIVE);
    assertThat(members("online-cams")).isEmpty();

    hub.brokerEvent("mqtt.connect", "cam-1", "s1");
    hub.brokerEvent("mqtt.connect", "th-1", "s2");
    await().until(() -> members("online-cams").equals(Set.of("cam-1")));
    assertThat(hub.membership.groupsOf("cam-1")).containsExactly("online-cams");

    hub.things.updateAttributes("cam-1", Map.of("model", "therm"), true, ACTOR);
    await().until(() -> members("online-cams").isEmpty());
    hub.things.updateAttributes("cam-1", Map.of("model", "cam-x3"), true, ACTOR);
    await().until(() -> members("online-cams").equals(Set.of("cam-1")));

    // A takeover: the new session connects before the old one's disconnect is reported.
    hub.brokerEvent("mqtt.connect", "cam-1", "s3");
    hub.brokerEvent("mqtt.disconnect", "cam-1", "s1");
    hub.brokerEvent("mqtt.connect", "cam-2", "s4");
    await().until(() -> members("online-cams").equals(Set.of("cam-1", "cam-2")));

    hub.brokerEvent("mqtt.disconnect", "cam-1", "s3");
    await().until(() -> members("online-cams").equals(Set.of("cam-2")));
    assertThat(hub.membership.connectivity("cam-1").disconnectReason())
        .contains("CLIENT_INITIATED_DISCONNECT");
    await()
        .untilAsserted(
            () ->
                assertThat(hub.changes)
                    .contains(
                        new MembershipChange("cam-1", Set.of("online-cams"), Set.of()),
                        new MembershipChange("cam-1", Set.of(), Set.of("online-cams"))));
  }

  @Test
  void aQueryChangeRebuildsAndDeletedThingsLeave() {
    hub.groups.createDynamic("cams", "attributes.model:cam-*", Optional.empty(), Map.of(), ACTOR);
    await().until(() -> members("cams").equals(Set.of("cam-1", "cam-2")));

    hub.groups.update(
        "cams", Optional.empty(), Map.of(), Optional.of("attributes.model:cam-x*"), ACTOR);
    await().until(() -> members("cams").equals(Set.of("cam-1")));

    hub.things.delete("cam-1", ACTOR);
    await().until(() -> members("cams").isEmpty());

    hub.thing("cam-9", "model=cam-x9");
    await().until(() -> members("cams").equals(Set.of("cam-9")));
  }

  @Test
  void queriesCanNameStaticGroups() {
    hub.groups.createStatic("lobby", Optional.empty(), Optional.empty(), Map.of(), ACTOR);
    hub.groups.createDynamic(
        "lobby-cams",
        "thingGroupNames:lobby AND attributes.model:cam-*",
        Optional.empty(),
        Map.of(),
        ACTOR);
    hub.groups.addThing("lobby", "cam-2", ACTOR);
    hub.groups.addThing("lobby", "th-1", ACTOR);
    await().until(() -> members("lobby-cams").equals(Set.of("cam-2")));
  }

  @Test
  void dynamicGroupsAreRebuiltAfterARestart() {
    hub.groups.createDynamic("cams", "attributes.model:cam-*", Optional.empty(), Map.of(), ACTOR);
    await().until(() -> members("cams").size() == 2);
    hub.close();
    hub = new GroupsFixture(dir);
    hub.membership.start();
    await().until(() -> members("cams").equals(Set.of("cam-1", "cam-2")));
  }
}
