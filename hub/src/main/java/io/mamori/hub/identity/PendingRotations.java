package io.mamori.hub.identity;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * New certificates of unfinished rotations, in memory, so that the connect listener (on a Netty
 * event loop) can tell in O(1) and without the database whether a connect finishes a rotation.
 */
public final class PendingRotations {
  private final Set<String> newCertificateIds = ConcurrentHashMap.newKeySet();

  public void add(Rotation rotation) {
    newCertificateIds.add(rotation.newCertificateId());
  }

  void add(String newCertificateId) {
    newCertificateIds.add(newCertificateId);
  }

  /** Removes the id; true if it was watched (so only the first connect acts). */
  boolean remove(String newCertificateId) {
    return newCertificateIds.remove(newCertificateId);
  }

  int size() {
    return newCertificateIds.size();
  }
}
