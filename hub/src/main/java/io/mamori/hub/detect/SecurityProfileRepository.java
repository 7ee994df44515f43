package io.mamori.hub.detect;

import java.util.List;
import java.util.Optional;

/** Where security profiles are kept. */
public interface SecurityProfileRepository {
  /** Inserts or replaces by name. */
  void put(SecurityProfile profile);

  Optional<SecurityProfile> find(String name);

  List<SecurityProfile> list();

  boolean delete(String name);
}
