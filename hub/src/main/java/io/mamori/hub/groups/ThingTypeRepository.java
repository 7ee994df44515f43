package io.mamori.hub.groups;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Persistence of thing types. */
public interface ThingTypeRepository {
  /** Inserts a new type; throws RegistryException CONFLICT if the name exists. */
  void insert(ThingType type);

  Optional<ThingType> find(String name);

  List<ThingType> list();

  /** Sets (an instant) or clears (empty) the deprecation; false when the type does not exist. */
  boolean setDeprecated(String name, Optional<Instant> at);

  boolean delete(String name);

  /** How many things have this type. */
  long thingsOfType(String name);
}
