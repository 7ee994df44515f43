package io.mamori.hub.shadow;

import java.util.List;
import java.util.Optional;

/** Where shadows are kept; every call joins the caller's transaction. */
public interface ShadowRepository {
  /** The stored shadow, also a deleted one (it still holds the version counter). */
  Optional<StoredShadow> find(ShadowKey key);

  /** Inserts or replaces the shadow's row. */
  void save(StoredShadow shadow);

  /** Names of the thing's named shadows that exist (not deleted), sorted. */
  List<String> namedShadows(String thing);
}
