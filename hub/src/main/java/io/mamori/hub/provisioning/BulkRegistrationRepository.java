package io.mamori.hub.provisioning;

import java.time.Instant;
import java.util.Optional;

/** The bulk registration lines already applied, keyed by template and a hash of the line. */
public interface BulkRegistrationRepository {
  /** What an applied line created. */
  record Applied(Optional<String> thingName, String certificateId, Instant registeredAt) {}

  Optional<Applied> find(String templateName, String lineHash);

  void insert(String templateName, String lineHash, Applied applied);
}
