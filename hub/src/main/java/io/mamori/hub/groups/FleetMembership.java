package io.mamori.hub.groups;

import io.mamori.hub.events.HubEvent;
import io.mamori.hub.registry.RegistryException;
import io.mamori.hub.registry.Thing;
import io.mamori.hub.registry.ThingRepository;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps group membership current as the fleet changes and answers {@link ThingGroups}. Static
 * memberships are read from the store; dynamic ones are held in memory and re-evaluated for one
 * thing when its registry record, connectivity or shadow changes, and for the whole fleet when a
 * dynamic group is defined or its query changes.
 *
 * <p>All evaluation and every listener call run on one thread of its own, in order: the broker's
 * event loops only drop a thing name into a coalescing set, so a burst of connects costs them
 * nothing and each thing is evaluated once per burst.
 */
public final class FleetMembership implements ThingGroups, Consumer<HubEvent>, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(FleetMembership.class);

  /** AWS dynamic group status: BUILDING at creation, REBUILDING after a query change. */
  public enum Status {
    BUILDING,
    REBUILDING,
    ACTIVE
  }

  private static final class Dynamic {
    private final FleetQuery query;
    private final Set<String> members = ConcurrentHashMap.newKeySet();
    private volatile Status status;

    Dynamic(FleetQuery query, Status status) {
      this.query = query;
      this.status = status;
    }
  }

  private final ThingGroupRepository groups;
  private final ThingRepository things;
  private final ShadowValues shadows;
  private final Connectivity connectivity = new Connectivity();
  private final Map<String, Dynamic> dynamic = new ConcurrentHashMap<>();
  private final Set<String> pending = ConcurrentHashMap.newKeySet();
  private final List<MembershipListener> listeners = new CopyOnWriteArrayList<>();
  private final ExecutorService thread =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "mamori-groups");
            t.setDaemon(true);
            return t;
          });

  public FleetMembership(
      ThingGroupRepository groups, ThingRepository things, ShadowValues shadows) {
    this.groups = groups;
    this.things = things;
    this.shadows = shadows;
  }

  /** Builds every stored dynamic group (memberships are not stored: they follow the fleet). */
  public void start() {
    for (ThingGroup group : groups.list()) {
      group.queryString().ifPresent(q -> defined(group.name(), q, Status.BUILDING));
    }
  }

  @Override
  public void addListener(MembershipListener listener) {
    listeners.add(listener);
  }

  /** Re-evaluates the thing's dynamic memberships soon (the shadow service calls this). */
  public void thingChanged(String thing) {
    if (dynamic.isEmpty() || !pending.add(thing)) {
      return;
    }
    run(
        () -> {
          pending.remove(thing);
          reevaluate(thing);
        });
  }

  /** Registry changes of things, shadow changes, and the broker's connects and disconnects. */
  @Override
  public void accept(HubEvent event) {
    switch (event.type()) {
      case "thing.created",
          "thing.updated",
          "thing.deleted",
          "shadow.updated",
          "shadow.deleted" -> {
        if (HubEvent.SUCCESS.equals(event.outcome())) {
          thingChanged(event.subject());
        }
      }
      // Bulk issuance reports the things it created in its one event per request.
      case "certificate.batch-issued" -> {
        String created = event.details().getOrDefault("thingsCreated", "");
        if (!created.isEmpty()) {
          for (String thing : created.split(" ")) {
            thingChanged(thing);
          }
        }
      }
      case "mqtt.connect", "mqtt.disconnect" -> {
        if (connectivity.record(event)) {
          thingChanged(event.subject());
        }
      }
      default -> {}
    }
  }

  @Override
  public Set<String> thingsIn(String group, boolean recursive) {
    ThingGroup found =
        groups.find(group).orElseThrow(() -> RegistryException.notFound("thing group " + group));
    if (found.dynamic()) {
      Dynamic current = dynamic.get(group);
      return current == null ? Set.of() : new TreeSet<>(current.members);
    }
    Set<String> members = new TreeSet<>(groups.thingsOf(group));
    if (recursive) {
      var queue = new ArrayDeque<>(groups.childrenOf(group));
      while (!queue.isEmpty()) {
        String child = queue.poll();
        members.addAll(groups.thingsOf(child));
        queue.addAll(groups.childrenOf(child));
      }
    }
    return members;
  }

  @Override
  public Set<String> groupsOf(String thing) {
    Set<String> all = new TreeSet<>(staticGroupsOf(thing));
    dynamic.forEach(
        (name, group) -> {
          if (group.members.contains(thing)) {
            all.add(name);
          }
        });
    return all;
  }

  /** The thing's static groups and all their ancestors. */
  Set<String> staticGroupsOf(String thing) {
    Set<String> all = new LinkedHashSet<>();
    for (String group : groups.groupsOf(thing)) {
      Optional<String> next = Optional.of(group);
      while (next.isPresent() && all.add(next.get())) {
        next = groups.find(next.get()).flatMap(ThingGroup::parent);
      }
    }
    return all;
  }

  /** The AWS status of a dynamic group; empty for a static one. */
  public Optional<Status> status(String group) {
    return Optional.ofNullable(dynamic.get(group)).map(d -> d.status);
  }

  /** The live connectivity the queries see for a thing. */
  public ConnectivityState connectivity(String thing) {
    return connectivity.of(thing);
  }

  /** A dynamic group was created or its query changed: rebuild it from the whole fleet. */
  void defined(String group, String queryText, Status status) {
    FleetQuery query = FleetQuery.parse(queryText);
    run(
        () -> {
          Dynamic previous = dynamic.get(group);
          Dynamic next = new Dynamic(query, status);
          Set<String> before = previous == null ? Set.of() : Set.copyOf(previous.members);
          // Old members stay visible while the new query is evaluated (AWS: REBUILDING).
          if (previous != null) {
            next.members.addAll(before);
          }
          dynamic.put(group, next);
          Set<String> matching = new HashSet<>();
          for (Thing thing : things.list()) {
            if (query.matches(indexed(thing, query.readsGroups()))) {
              matching.add(thing.name());
            }
          }
          next.members.retainAll(matching);
          next.members.addAll(matching);
          next.status = Status.ACTIVE;
          for (String thing : matching) {
            if (!before.contains(thing)) {
              tell(new MembershipChange(thing, Set.of(group), Set.of()));
            }
          }
          for (String thing : before) {
            if (!matching.contains(thing)) {
              tell(new MembershipChange(thing, Set.of(), Set.of(group)));
            }
          }
          log.info("dynamic group built group={} members={}", group, matching.size());
        });
  }

  /** A dynamic group was deleted: its members leave it. */
  void deletedDynamic(String group) {
    run(
        () -> {
          Dynamic removed = dynamic.remove(group);
          if (removed != null) {
            removed.members.forEach(t -> tell(new MembershipChange(t, Set.of(), Set.of(group))));
          }
        });
  }

  /** A static membership changed (committed): announce it and re-check queries on groups. */
  void staticChanged(String thing, Set<String> before, Set<String> after) {
    Set<String> joined = new TreeSet<>(after);
    joined.removeAll(before);
    Set<String> left = new TreeSet<>(before);
    left.removeAll(after);
    if (joined.isEmpty() && left.isEmpty()) {
      return;
    }
    run(() -> tell(new MembershipChange(thing, joined, left)));
    if (dynamic.values().stream().anyMatch(d -> d.query.readsGroups())) {
      thingChanged(thing);
    }
  }

  private void reevaluate(String name) {
    Optional<Thing> thing = things.find(name);
    boolean readsGroups = dynamic.values().stream().anyMatch(d -> d.query.readsGroups());
    IndexedThing indexed = thing.map(t -> indexed(t, readsGroups)).orElse(null);
    Set<String> joined = new TreeSet<>();
    Set<String> left = new TreeSet<>();
    dynamic.forEach(
        (group, d) -> {
          boolean matches = indexed != null && d.query.matches(indexed);
          if (matches && d.members.add(name)) {
            joined.add(group);
          } else if (!matches && d.members.remove(name)) {
            left.add(group);
          }
        });
    if (!joined.isEmpty() || !left.isEmpty()) {
      tell(new MembershipChange(name, joined, left));
    }
  }

  private IndexedThing indexed(Thing thing, boolean withGroups) {
    return new IndexedThing(
        thing.name(),
        thing.thingType(),
        thing.attributes(),
        withGroups ? Set.copyOf(groups.groupsOf(thing.name())) : Set.of(),
        connectivity.of(thing.name()),
        shadows);
  }

  private void tell(MembershipChange change) {
    for (MembershipListener listener : listeners) {
      try {
        listener.membershipChanged(change);
      } catch (RuntimeException e) {
        log.warn("membership listener failed thing={} reason={}", change.thing(), e.toString());
      }
    }
  }

  private void run(Runnable work) {
    try {
      thread.execute(
          () -> {
            try {
              work.run();
            } catch (RuntimeException e) {
              // E.g. the database closed during shutdown; the next change evaluates again.
              log.warn("group membership evaluation failed reason={}", e.toString());
            }
          });
    } catch (java.util.concurrent.RejectedExecutionException e) {
      log.debug("membership change after shutdown ignored");
    }
  }

  @Override
  public void close() {
    thread.shutdownNow();
  }
}
