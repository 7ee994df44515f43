package io.mamori.hub.registry;

import io.mamori.hub.events.EventPublisher;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Creates, reads, changes and deletes things; every change is an event. */
public final class ThingService {
  private final ThingRepository things;
  private final CertificateRepository certificates;
  private final Transactor transactor;
  private final RegistryChanges changes;
  private final ThingTypeCheck types;

  public ThingService(
      ThingRepository things,
      CertificateRepository certificates,
      Transactor transactor,
      EventPublisher events,
      RegistryListener listener,
      Clock clock) {
    this(things, certificates, transactor, events, listener, clock, ThingTypeCheck.ANY);
  }

  /** With {@code types} deciding which thing type a new thing may have. */
  public ThingService(
      ThingRepository things,
      CertificateRepository certificates,
      Transactor transactor,
      EventPublisher events,
      RegistryListener listener,
      Clock clock,
      ThingTypeCheck types) {
    this.types = types;
    this.things = things;
    this.certificates = certificates;
    this.transactor = transactor;
    this.changes = new RegistryChanges(transactor, events, listener, clock);
  }

  /**
   * Registers a new thing at version 1. Attributes with an empty value are left out, as an update
   * with an empty value removes the attribute. CONFLICT when the name is taken.
   */
  public Thing create(
      String name, Map<String, String> attributes, Optional<String> thingType, String actor) {
    return changes.run(
        "thing.created",
        actor,
        name,
        change -> {
          RegistryRules.thingName(name);
          thingType.ifPresent(RegistryRules::thingTypeName);
          var kept = new TreeMap<>(RegistryRules.attributes(attributes));
          kept.values().removeIf(String::isEmpty);
          RegistryRules.attributeCount(kept);
          var thing = new Thing(name, thingType, kept, 1, change.at(), change.at());
          transactor.inTransaction(
              () -> {
                thingType.ifPresent(types::allowNewThing);
                things.insert(thing);
              });
          change.event("thing.created", name, describe(thing));
          return thing;
        });
  }

  public Thing get(String name) {
    return things.find(name).orElseThrow(() -> RegistryException.notFound("thing " + name));
  }

  public List<Thing> list() {
    return things.list();
  }

  /** Ids of the certificates attached to the thing (its principals, in AWS words). */
  public List<String> certificatesOf(String name) {
    return transactor.inTransaction(
        () -> {
          get(name);
          return certificates.certificatesOf(name);
        });
  }

  /** Replaces (merge=false) or merges (merge=true) attributes; an empty value removes a key. */
  public Thing updateAttributes(
      String name, Map<String, String> attributes, boolean merge, String actor) {
    return changes.run(
        "thing.updated",
        actor,
        name,
        change -> {
          var requested = RegistryRules.attributes(attributes);
          Thing updated =
              transactor.inTransaction(
                  () -> {
                    Thing current = get(name);
                    var next = new TreeMap<String, String>(merge ? current.attributes() : Map.of());
                    requested.forEach(
                        (k, v) -> {
                          if (v.isEmpty()) {
                            next.remove(k);
                          } else {
                            next.put(k, v);
                          }
                        });
                    RegistryRules.attributeCount(next);
                    var thing =
                        new Thing(
                            name,
                            current.thingType(),
                            next,
                            current.version() + 1,
                            current.createdAt(),
                            change.at());
                    things.update(thing);
                    return thing;
                  });
          change.event(
              "thing.updated",
              name,
              Map.of(
                  "version", Long.toString(updated.version()), "merge", Boolean.toString(merge)));
          change.tell(l -> l.thingChanged(name));
          return updated;
        });
  }

  /** Deletes the thing and detaches its certificates (the certificates stay registered). */
  public void delete(String name, String actor) {
    changes.run(
        "thing.deleted",
        actor,
        name,
        change -> {
          List<String> detached =
              transactor.inTransaction(
                  () -> {
                    get(name);
                    var attached = certificates.certificatesOf(name);
                    things.delete(name);
                    return attached;
                  });
          change.event(
              "thing.deleted", name, Map.of("detachedCertificates", String.join(",", detached)));
          change.tell(l -> l.thingChanged(name));
          return null;
        });
  }

  private static Map<String, String> describe(Thing thing) {
    var details = new LinkedHashMap<String, String>();
    thing.thingType().ifPresent(t -> details.put("thingType", t));
    details.put("attributes", String.join(",", thing.attributes().keySet()));
    return details;
  }
}
