package io.mamori.hub.groups;

import io.mamori.hub.events.EventPublisher;
import io.mamori.hub.registry.RegistryChanges;
import io.mamori.hub.registry.RegistryException;
import io.mamori.hub.registry.RegistryListener;
import io.mamori.hub.registry.RegistryRules;
import io.mamori.hub.registry.ThingTypeCheck;
import io.mamori.hub.registry.Transactor;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Thing types (reference §9.1): created with a description and searchable attributes, deprecated
 * (no new things may use them) and undeprecated, deleted only once deprecated and unused. It is
 * also the {@link ThingTypeCheck} of the thing service.
 */
public final class ThingTypeService implements ThingTypeCheck {
  /** AWS allows up to 3 searchable attributes per thing type. */
  static final int MAX_SEARCHABLE_ATTRIBUTES = 3;

  static final int MAX_DESCRIPTION = 2028;

  private final ThingTypeRepository types;
  private final Transactor transactor;
  private final RegistryChanges changes;

  public ThingTypeService(
      ThingTypeRepository types, Transactor transactor, EventPublisher events, Clock clock) {
    this.types = types;
    this.transactor = transactor;
    this.changes = new RegistryChanges(transactor, events, new RegistryListener() {}, clock);
  }

  public ThingType create(
      String name, Optional<String> description, List<String> searchableAttributes, String actor) {
    return changes.run(
        "thing-type.created",
        actor,
        name,
        change -> {
          RegistryRules.thingTypeName(name);
          description.ifPresent(ThingTypeService::checkDescription);
          var searchable = new LinkedHashSet<>(searchableAttributes);
          if (searchable.size() > MAX_SEARCHABLE_ATTRIBUTES) {
            throw RegistryException.invalid(
                "a thing type has at most "
                    + MAX_SEARCHABLE_ATTRIBUTES
                    + " searchable attributes, got "
                    + searchable.size());
          }
          searchable.forEach(a -> RegistryRules.attributes(Map.of(a, "")));
          var type =
              new ThingType(
                  name, description, List.copyOf(searchable), Optional.empty(), change.at());
          transactor.inTransaction(() -> types.insert(type));
          change.event(
              "thing-type.created",
              name,
              Map.of("searchableAttributes", String.join(",", searchable)));
          return type;
        });
  }

  public ThingType get(String name) {
    return types.find(name).orElseThrow(() -> RegistryException.notFound("thing type " + name));
  }

  public List<ThingType> list() {
    return types.list();
  }

  /** Deprecates ({@code undo} false) or undeprecates a type; doing it twice is not an error. */
  public ThingType deprecate(String name, boolean undo, String actor) {
    String type = undo ? "thing-type.undeprecated" : "thing-type.deprecated";
    return changes.run(
        type,
        actor,
        name,
        change -> {
          ThingType updated =
              transactor.inTransaction(
                  () -> {
                    ThingType current = get(name);
                    if (current.deprecated() == !undo) {
                      return current;
                    }
                    types.setDeprecated(name, undo ? Optional.empty() : Optional.of(change.at()));
                    return get(name);
                  });
          change.event(type, name, Map.of());
          return updated;
        });
  }

  /** AWS DeleteThingType: only a deprecated type that no thing uses any more. */
  public void delete(String name, String actor) {
    changes.run(
        "thing-type.deleted",
        actor,
        name,
        change -> {
          transactor.inTransaction(
              () -> {
                ThingType current = get(name);
                if (!current.deprecated()) {
                  throw RegistryException.conflict(
                      "thing type " + name + " must be deprecated before it is deleted");
                }
                long users = types.thingsOfType(name);
                if (users > 0) {
                  throw RegistryException.conflict(
                      "thing type "
                          + name
                          + " is still the type of "
                          + users
                          + (users == 1 ? " thing" : " things"));
                }
                types.delete(name);
              });
          change.event("thing-type.deleted", name, Map.of());
          return null;
        });
  }

  /** A new thing may only have an existing, non-deprecated type. */
  @Override
  public void allowNewThing(String thingType) {
    ThingType type =
        types
            .find(thingType)
            .orElseThrow(
                () ->
                    RegistryException.invalid(
                        "thing type "
                            + thingType
                            + " does not exist; create it with `mamori thing-type create`"));
    if (type.deprecated()) {
      throw RegistryException.conflict(
          "thing type " + thingType + " is deprecated; new things may not use it");
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
