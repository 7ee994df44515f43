package io.mamori.hub.groups;

import io.mamori.hub.registry.Policy;
import java.util.List;
import java.util.Optional;

/** Persistence of thing groups, their static members and the policies attached to them. */
public interface ThingGroupRepository {
  /** Inserts a new group; throws RegistryException CONFLICT if the name exists. */
  void insert(ThingGroup group);

  /** Stores description, attributes, query, version and update time of an existing group. */
  void update(ThingGroup group);

  Optional<ThingGroup> find(String name);

  List<ThingGroup> list();

  /** Names of the direct sub-groups. */
  List<String> childrenOf(String name);

  boolean delete(String name);

  /** Adds a static member; false when it already was one. */
  boolean addThing(String group, String thing);

  boolean removeThing(String group, String thing);

  /** Direct static members of the group. */
  List<String> thingsOf(String group);

  /** The static groups the thing is a direct member of. */
  List<String> groupsOf(String thing);

  /** Attaching twice is not an error. */
  void attachPolicy(String policyName, String group);

  boolean detachPolicy(String policyName, String group);

  /** Names of the policies attached to the group itself. */
  List<String> policiesOf(String group);

  /** Names of the groups the policy is attached to. */
  List<String> groupsWithPolicy(String policyName);

  /**
   * The policies (default versions) attached to the static groups of the thing and to all their
   * ancestors, each once: what the thing's connections get on top of their certificate's.
   */
  List<Policy> policiesOfThing(String thing);
}
