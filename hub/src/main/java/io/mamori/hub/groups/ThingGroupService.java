package io.mamori.hub.groups;

import io.mamori.hub.events.EventPublisher;
import io.mamori.hub.events.HubEvent;
import io.mamori.hub.registry.PolicyRepository;
import io.mamori.hub.registry.RegistryChanges;
import io.mamori.hub.registry.RegistryException;
import io.mamori.hub.registry.RegistryListener;
import io.mamori.hub.registry.RegistryRules;
import io.mamori.hub.registry.ThingRepository;
import io.mamori.hub.registry.Transactor;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Thing groups (reference §9.2, §9.3): static groups in a hierarchy with members and policies,
 * dynamic groups defined by a fleet query. Every change is an event; membership and group-policy
 * changes reach the live connections of the affected things (through the registry listener) and the
 * {@link FleetMembership} listeners once committed. As an event consumer it also applies a new
 * version of a policy attached to groups to their members' connections.
 */
public final class ThingGroupService implements Consumer<HubEvent> {
  /** AWS: a group hierarchy is at most 7 levels deep. */
  static final int MAX_DEPTH = 7;

  /** AWS: a thing is in at most 10 static groups. */
  static final int MAX_GROUPS_PER_THING = 10;

  /** AWS allows 2 policies per group (reference §5.1); we allow as many as per certificate. */
  static final int MAX_POLICIES_PER_GROUP = 10;

  // AWS: group names are thing-name-like but without ':' (reference §9.2).
  private static final Pattern GROUP_NAME = Pattern.compile("[a-zA-Z0-9_-]{1,128}");
  private static final int MAX_DESCRIPTION = 2028;

  private final ThingGroupRepository groups;
  private final ThingRepository things;
  private final PolicyRepository policies;
  private final Transactor transactor;
  private final RegistryListener enforcer;
  private final FleetMembership membership;
  private final RegistryChanges changes;

  public ThingGroupService(
      ThingGroupRepository groups,
      ThingRepository things,
      PolicyRepository policies,
      FleetMembership membership,
      Transactor transactor,
      EventPublisher events,
      RegistryListener enforcer,
      Clock clock) {
    this.groups = groups;
    this.things = things;
    this.policies = policies;
    this.membership = membership;
    this.transactor = transactor;
    this.enforcer = enforcer;
    this.changes = new RegistryChanges(transactor, events, enforcer, clock);
  }

  /** A static group, under {@code parent} when given (fixed for the group's life). */
  public ThingGroup createStatic(
      String name,
      Optional<String> parent,
      Optional<String> description,
      Map<String, String> attributes,
      String actor) {
    return create(name, parent, description, attributes, Optional.empty(), actor);
  }

  /** A dynamic group: its members are the things {@code query} matches, as the fleet changes. */
  public ThingGroup createDynamic(
      String name,
      String query,
      Optional<String> description,
      Map<String, String> attributes,
      String actor) {
    return create(name, Optional.empty(), description, attributes, Optional.of(query), actor);
  }

  private ThingGroup create(
      String name,
      Optional<String> parent,
      Optional<String> description,
      Map<String, String> attributes,
      Optional<String> query,
      String actor) {
    return changes.run(
        "thing-group.created",
        actor,
        name,
        change -> {
          groupName(name);
          description.ifPresent(ThingGroupService::checkDescription);
          query.ifPresent(FleetQuery::parse);
          var kept = new TreeMap<>(RegistryRules.attributes(attributes));
          kept.values().removeIf(String::isEmpty);
          RegistryRules.attributeCount(kept);
          var group =
              new ThingGroup(name, parent, description, kept, query, 1, change.at(), change.at());
          transactor.inTransaction(
              () -> {
                if (parent.isPresent()) {
                  ThingGroup above = get(parent.get());
                  if (above.dynamic()) {
                    throw RegistryException.invalid(
                        "a dynamic group cannot have sub-groups: " + above.name());
                  }
                  if (depth(above) + 1 > MAX_DEPTH) {
                    throw RegistryException.invalid(
                        "group hierarchies are at most " + MAX_DEPTH + " levels deep");
                  }
                }
                groups.insert(group);
              });
          var details = new HashMap<String, String>();
          parent.ifPresent(p -> details.put("parent", p));
          query.ifPresent(q -> details.put("query", q));
          change.event("thing-group.created", name, details);
          query.ifPresent(
              q ->
                  transactor.afterCommit(
                      () -> membership.defined(name, q, FleetMembership.Status.BUILDING)));
          return group;
        });
  }

  public ThingGroup get(String name) {
    return groups.find(name).orElseThrow(() -> RegistryException.notFound("thing group " + name));
  }

  public List<ThingGroup> list() {
    return groups.list();
  }

  /** Direct sub-groups. */
  public List<String> childrenOf(String name) {
    return transactor.inTransaction(
        () -> {
          get(name);
          return groups.childrenOf(name);
        });
  }

  /** Policies attached to the group itself. */
  public List<String> policiesOf(String name) {
    return transactor.inTransaction(
        () -> {
          get(name);
          return groups.policiesOf(name);
        });
  }

  /**
   * Changes description, attributes (merged; an empty value removes one) and, for a dynamic group,
   * the query, which rebuilds its membership.
   */
  public ThingGroup update(
      String name,
      Optional<String> description,
      Map<String, String> attributes,
      Optional<String> query,
      String actor) {
    return changes.run(
        "thing-group.updated",
        actor,
        name,
        change -> {
          description.ifPresent(ThingGroupService::checkDescription);
          query.ifPresent(FleetQuery::parse);
          var requested = RegistryRules.attributes(attributes);
          ThingGroup updated =
              transactor.inTransaction(
                  () -> {
                    ThingGroup current = get(name);
                    if (query.isPresent() && !current.dynamic()) {
                      throw RegistryException.invalid(
                          "thing group " + name + " is static; only dynamic groups have a query");
                    }
                    var next = new TreeMap<>(current.attributes());
                    requested.forEach(
                        (k, v) -> {
                          if (v.isEmpty()) {
                            next.remove(k);
                          } else {
                            next.put(k, v);
                          }
                        });
                    RegistryRules.attributeCount(next);
                    var group =
                        new ThingGroup(
                            name,
                            current.parent(),
                            description.or(current::description),
                            next,
                            query.or(current::queryString),
                            current.version() + 1,
                            current.createdAt(),
                            change.at());
                    groups.update(group);
                    return group;
                  });
          change.event(
              "thing-group.updated", name, Map.of("version", Long.toString(updated.version())));
          query.ifPresent(
              q ->
                  transactor.afterCommit(
                      () -> membership.defined(name, q, FleetMembership.Status.REBUILDING)));
          return updated;
        });
  }

  /** Refused (CONFLICT) while the group has sub-groups; its members leave it. */
  public void delete(String name, String actor) {
    changes.run(
        "thing-group.deleted",
        actor,
        name,
        change -> {
          record Left(String thing, Set<String> before, Set<String> after) {}
          record Deleted(ThingGroup group, List<Left> members) {}
          Deleted deleted =
              transactor.inTransaction(
                  () -> {
                    ThingGroup group = get(name);
                    List<String> children = groups.childrenOf(name);
                    if (!children.isEmpty()) {
                      throw RegistryException.conflict(
                          "thing group "
                              + name
                              + " has sub-groups ("
                              + String.join(", ", children)
                              + "); delete them first");
                    }
                    List<String> members = groups.thingsOf(name);
                    var before = new HashMap<String, Set<String>>();
                    members.forEach(t -> before.put(t, membership.staticGroupsOf(t)));
                    groups.delete(name);
                    return new Deleted(
                        group,
                        members.stream()
                            .map(t -> new Left(t, before.get(t), membership.staticGroupsOf(t)))
                            .toList());
                  });
          change.event(
              "thing-group.deleted",
              name,
              Map.of("members", Integer.toString(deleted.members().size())));
          Set<String> members = Set.copyOf(deleted.members().stream().map(Left::thing).toList());
          change.tell(l -> l.thingGroupPoliciesChanged(members));
          transactor.afterCommit(
              () -> {
                if (deleted.group().dynamic()) {
                  membership.deletedDynamic(name);
                }
                deleted
                    .members()
                    .forEach(m -> membership.staticChanged(m.thing(), m.before(), m.after()));
              });
          return null;
        });
  }

  /**
   * Adds a thing to a static group. AWS rules: at most {@value #MAX_GROUPS_PER_THING} groups per
   * thing, and never two groups of one hierarchy (one root). Adding again is not an error.
   */
  public void addThing(String group, String thing, String actor) {
    changeMembership("thing-group.thing-added", group, thing, true, actor);
  }

  /** Removes a thing from a static group; NOT_FOUND when it was not a member. */
  public void removeThing(String group, String thing, String actor) {
    changeMembership("thing-group.thing-removed", group, thing, false, actor);
  }

  private void changeMembership(
      String type, String groupName, String thing, boolean add, String actor) {
    changes.run(
        type,
        actor,
        groupName,
        change -> {
          record Membership(Set<String> before, Set<String> after) {}
          Membership result =
              transactor.inTransaction(
                  () -> {
                    ThingGroup group = get(groupName);
                    if (group.dynamic()) {
                      throw RegistryException.invalid(
                          "thing group "
                              + groupName
                              + " is dynamic: its members are the things its query matches");
                    }
                    if (things.find(thing).isEmpty()) {
                      throw RegistryException.notFound("thing " + thing);
                    }
                    Set<String> before = membership.staticGroupsOf(thing);
                    if (add) {
                      checkCanJoin(group, thing);
                      groups.addThing(groupName, thing);
                    } else if (!groups.removeThing(groupName, thing)) {
                      throw RegistryException.notFound(
                          "thing " + thing + " in thing group " + groupName);
                    }
                    return new Membership(before, membership.staticGroupsOf(thing));
                  });
          change.event(type, groupName, Map.of("thing", thing));
          change.tell(l -> l.thingGroupPoliciesChanged(Set.of(thing)));
          transactor.afterCommit(
              () -> membership.staticChanged(thing, result.before(), result.after()));
          return null;
        });
  }

  private void checkCanJoin(ThingGroup group, String thing) {
    List<String> current = groups.groupsOf(thing);
    if (current.contains(group.name())) {
      return;
    }
    if (current.size() >= MAX_GROUPS_PER_THING) {
      throw RegistryException.conflict(
          "thing " + thing + " is already in " + MAX_GROUPS_PER_THING + " groups, the AWS limit");
    }
    String root = root(group);
    for (String other : current) {
      if (root(get(other)).equals(root)) {
        throw RegistryException.conflict(
            "thing "
                + thing
                + " is already in group "
                + other
                + " of the same hierarchy (root "
                + root
                + "); a thing may be in only one group of a hierarchy");
      }
    }
  }

  /** Attaches a policy to a static group: its members and those of its sub-groups get it. */
  public void attachPolicy(String group, String policy, String actor) {
    changePolicy("thing-group.policy-attached", group, policy, true, actor);
  }

  /** Detaches a policy from a group; NOT_FOUND when it was not attached. */
  public void detachPolicy(String group, String policy, String actor) {
    changePolicy("thing-group.policy-detached", group, policy, false, actor);
  }

  private void changePolicy(
      String type, String groupName, String policy, boolean attach, String actor) {
    changes.run(
        type,
        actor,
        groupName,
        change -> {
          RegistryRules.policyName(policy);
          Set<String> affected =
              transactor.inTransaction(
                  () -> {
                    ThingGroup group = get(groupName);
                    if (policies.find(policy).isEmpty()) {
                      throw RegistryException.notFound("policy " + policy);
                    }
                    if (attach) {
                      if (group.dynamic()) {
                        throw RegistryException.invalid(
                            "dynamic thing groups cannot have policies (as in AWS IoT)");
                      }
                      List<String> attached = groups.policiesOf(groupName);
                      if (!attached.contains(policy) && attached.size() >= MAX_POLICIES_PER_GROUP) {
                        throw RegistryException.conflict(
                            "thing group "
                                + groupName
                                + " already has "
                                + attached.size()
                                + " policies attached; detach one first");
                      }
                      groups.attachPolicy(policy, groupName);
                    } else if (!groups.detachPolicy(policy, groupName)) {
                      throw RegistryException.notFound(
                          "policy " + policy + " attached to thing group " + groupName);
                    }
                    return membership.thingsIn(groupName, true);
                  });
          change.event(
              type,
              groupName,
              Map.of("policy", policy, "things", Integer.toString(affected.size())));
          change.tell(l -> l.thingGroupPoliciesChanged(affected));
          return null;
        });
  }

  /** A new version of a policy attached to groups reaches their members' live connections. */
  @Override
  public void accept(HubEvent event) {
    if (!event.type().equals("policy.updated") || !HubEvent.SUCCESS.equals(event.outcome())) {
      return;
    }
    Set<String> affected = new java.util.HashSet<>();
    for (String group : groups.groupsWithPolicy(event.subject())) {
      affected.addAll(membership.thingsIn(group, true));
    }
    enforcer.thingGroupPoliciesChanged(affected);
  }

  private int depth(ThingGroup group) {
    int depth = 1;
    for (Optional<String> p = group.parent(); p.isPresent(); p = get(p.get()).parent()) {
      depth++;
    }
    return depth;
  }

  private String root(ThingGroup group) {
    ThingGroup top = group;
    while (top.parent().isPresent()) {
      top = get(top.parent().get());
    }
    return top.name();
  }

  private static void groupName(String name) {
    if (name == null || !GROUP_NAME.matcher(name).matches()) {
      throw RegistryException.invalid(
          "thing group name must be 1-128 characters of a-z, A-Z, 0-9, '_', '-'; got "
              + (name == null ? "nothing" : '"' + name + '"'));
    }
  }

  private static void checkDescription(String description) {
    if (description.length() > MAX_DESCRIPTION
        || description.codePoints().anyMatch(Character::isISOControl)) {
      throw RegistryException.invalid(
          "description must be at most " + MAX_DESCRIPTION + " characters without control codes");
    }
  }
}
