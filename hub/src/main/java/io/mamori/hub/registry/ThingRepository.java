package io.mamori.hub.registry;

import java.util.List;
import java.util.Optional;

/** Persistence of things. */
public interface ThingRepository {
  /** Inserts a new thing; throws {@link RegistryException} CONFLICT if the name exists. */
  void insert(Thing thing);

  void update(Thing thing);

  Optional<Thing> find(String name);

  List<Thing> list();

  /** Deletes the thing and its certificate attachments; false when it did not exist. */
  boolean delete(String name);
}
