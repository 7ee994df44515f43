package io.mamori.hub.identity;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Persistence of certificate rotations until the old certificate is deactivated. */
public interface RotationRepository {
  void insert(Rotation rotation);

  /** The rotation to {@code newCertificateId} while it is not completed. */
  Optional<Rotation> findPending(String newCertificateId);

  /** Rotations not completed yet, oldest first. */
  List<Rotation> pending();

  /** Pending rotations that replace {@code oldCertificateId}. */
  List<Rotation> pendingFrom(String oldCertificateId);

  /** Marks a rotation done; false when it was not pending. */
  boolean complete(String newCertificateId, Instant at, String outcome);
}
