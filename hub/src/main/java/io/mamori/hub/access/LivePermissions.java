package io.mamori.hub.access;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Index of the permissions of every live connection by certificate id, so that a registry change
 * reaches each connected device at once.
 */
final class LivePermissions {
  private final ConcurrentHashMap<String, Set<ConnectionPermissions>> byCertificate =
      new ConcurrentHashMap<>();

  void add(ConnectionPermissions permissions) {
    byCertificate
        .computeIfAbsent(permissions.principalId(), id -> ConcurrentHashMap.newKeySet())
        .add(permissions);
  }

  void remove(ConnectionPermissions permissions) {
    byCertificate.computeIfPresent(
        permissions.principalId(),
        (id, set) -> {
          set.remove(permissions);
          return set.isEmpty() ? null : set;
        });
  }

  List<ConnectionPermissions> ofCertificate(String certificateId) {
    return List.copyOf(byCertificate.getOrDefault(certificateId, Set.of()));
  }

  List<ConnectionPermissions> all() {
    return byCertificate.values().stream().flatMap(Set::stream).toList();
  }
}
