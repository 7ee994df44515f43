package io.mamori.hub.groups;

import static io.mamori.hub.groups.GroupsFixture.ACTOR;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.mamori.hub.registry.RegistryException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hierarchy and membership rules of static groups (reference §9.2) and thing types (§9.1). */
class ThingGroupServiceTest {
  @TempDir Path dir;
  private GroupsFixture hub;

  @BeforeEach
  void open() {
    hub = new GroupsFixture(dir);
  }

  @AfterEach
  void close() {
    hub.close();
  }

  private ThingGroup group(String name, String parent) {
    return hub.groups.createStatic(
        name, Optional.ofNullable(parent), Optional.empty(), Map.of(), ACTOR);
  }

  private static void assertRefused(Runnable call, RegistryException.Kind kind, String message) {
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.kind()).isEqualTo(kind))
        .hasMessageContaining(message);
  }

  @Test
  void membersOfSubGroupsCountRecursivelyAndGroupsOfIncludeAncestors() {
    group("factory", null);
    group("line-1", "factory");
    group("cell-a", "line-1");
    hub.thing("cam-1");
    hub.thing("cam-2");
    hub.groups.addThing("cell-a", "cam-1", ACTOR);
    hub.groups.addThing("factory", "cam-2", ACTOR);

    assertThat(hub.membership.thingsIn("factory", false)).containsExactly("cam-2");
    assertThat(hub.membership.thingsIn("factory", true)).containsExactly("cam-1", "cam-2");
    assertThat(hub.membership.thingsIn("line-1", true)).containsExactly("cam-1");
    assertThat(hub.membership.groupsOf("cam-1")).containsExactly("cell-a", "factory", "line-1");
    assertThat(hub.groups.childrenOf("factory")).containsExactly("line-1");
    await()
        .untilAsserted(
            () ->
                assertThat(hub.changes)
                    .contains(
                        new MembershipChange(
                            "cam-1", Set.of("cell-a", "line-1", "factory"), Set.of())));
  }

  @Test
  void hierarchyRules() {
    group("root", null);
    assertRefused(() -> group("orphan", "missing"), RegistryException.Kind.NOT_FOUND, "missing");
    assertRefused(() -> group("root", null), RegistryException.Kind.CONFLICT, "already exists");
    assertRefused(() -> group("a:b", null), RegistryException.Kind.INVALID, "thing group name");
    String parent = "root";
    for (int level = 2; level <= ThingGroupService.MAX_DEPTH; level++) {
      group("level-" + level, parent);
      parent = "level-" + level;
    }
    String deepest = parent;
    assertRefused(() -> group("too-deep", deepest), RegistryException.Kind.INVALID, "7 levels");

    assertRefused(
        () -> hub.groups.delete("level-6", ACTOR), RegistryException.Kind.CONFLICT, "level-7");
    hub.groups.delete("level-7", ACTOR);
    hub.groups.delete("level-6", ACTOR);
    assertThat(hub.groups.childrenOf("level-5")).isEmpty();
  }

  @Test
  void aThingIsInOneGroupPerHierarchyAndAtMostTen() {
    group("site", null);
    group("floor-1", "site");
    group("floor-2", "site");
    hub.thing("t1");
    hub.groups.addThing("floor-1", "t1", ACTOR);
    hub.groups.addThing("floor-1", "t1", ACTOR); // again: not an error
    assertRefused(
        () -> hub.groups.addThing("floor-2", "t1", ACTOR),
        RegistryException.Kind.CONFLICT,
        "same hierarchy (root site)");
    for (int i = 1; i < ThingGroupService.MAX_GROUPS_PER_THING; i++) {
      group("tag-" + i, null);
      hub.groups.addThing("tag-" + i, "t1", ACTOR);
    }
    group("tag-10", null);
    assertRefused(
        () -> hub.groups.addThing("tag-10", "t1", ACTOR),
        RegistryException.Kind.CONFLICT,
        "already in 10 groups");
    assertRefused(
        () -> hub.groups.addThing("site", "nobody", ACTOR),
        RegistryException.Kind.NOT_FOUND,
        "thing nobody");
    assertRefused(
        () -> hub.groups.removeThing("floor-2", "t1", ACTOR),
        RegistryException.Kind.NOT_FOUND,
        "floor-2");
  }

  @Test
  void dynamicGroupsTakeNoMembersPoliciesOrChildren() {
    hub.groups.createDynamic("cams", "attributes.model:cam-*", Optional.empty(), Map.of(), ACTOR);
    hub.thing("t1");
    hub.policies.create("p", GroupPoliciesTest.DEVICE_POLICY, ACTOR);
    assertRefused(
        () -> hub.groups.addThing("cams", "t1", ACTOR), RegistryException.Kind.INVALID, "dynamic");
    assertRefused(
        () -> hub.groups.attachPolicy("cams", "p", ACTOR),
        RegistryException.Kind.INVALID,
        "cannot have policies");
    assertRefused(() -> group("sub", "cams"), RegistryException.Kind.INVALID, "sub-groups");
    assertThatThrownBy(
            () ->
                hub.groups.createDynamic(
                    "bad", "attributes.model:(", Optional.empty(), Map.of(), ACTOR))
        .isInstanceOf(QueryException.class)
        .hasMessageStartingWith("invalid query at character");
    assertRefused(() -> hub.groups.get("bad"), RegistryException.Kind.NOT_FOUND, "bad");
  }

  @Test
  void deletingAGroupTakesItsMembersOut() {
    group("g", null);
    hub.thing("t1");
    hub.groups.addThing("g", "t1", ACTOR);
    hub.groups.delete("g", ACTOR);
    assertThat(hub.membership.groupsOf("t1")).isEmpty();
    await()
        .untilAsserted(
            () ->
                assertThat(hub.changes)
                    .contains(new MembershipChange("t1", Set.of(), Set.of("g"))));
  }

  @Test
  void newThingsMayOnlyUseExistingNonDeprecatedTypes() {
    hub.types.create("camera", Optional.of("IP cameras"), List.of("model", "site"), ACTOR);
    hub.things.create("c1", Map.of(), Optional.of("camera"), ACTOR);
    assertRefused(
        () -> hub.things.create("x1", Map.of(), Optional.of("nope"), ACTOR),
        RegistryException.Kind.INVALID,
        "thing type nope does not exist");
    assertRefused(
        () -> hub.types.delete("camera", ACTOR),
        RegistryException.Kind.CONFLICT,
        "must be deprecated");
    hub.types.deprecate("camera", false, ACTOR);
    assertThat(hub.types.get("camera").deprecated()).isTrue();
    assertRefused(
        () -> hub.things.create("c2", Map.of(), Optional.of("camera"), ACTOR),
        RegistryException.Kind.CONFLICT,
        "deprecated");
    assertRefused(
        () -> hub.types.delete("camera", ACTOR),
        RegistryException.Kind.CONFLICT,
        "still the type of 1 thing");
    hub.things.delete("c1", ACTOR);
    hub.types.delete("camera", ACTOR);
    assertThat(hub.types.list()).isEmpty();
    assertRefused(
        () -> hub.types.create("t", Optional.empty(), List.of("a", "b", "c", "d"), ACTOR),
        RegistryException.Kind.INVALID,
        "at most 3 searchable attributes");
  }
}
