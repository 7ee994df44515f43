package io.mamori.hub.genuine;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Persistence of the genuine device identity list. */
public interface GenuineIdentityRepository {
  /** Inserts as AVAILABLE unless present; true when inserted. */
  boolean insertIfAbsent(IdentityKind kind, String value, Instant at);

  Optional<GenuineIdentity> find(IdentityKind kind, String value);

  /** Oldest first, after {@code afterValue} (paging), at most {@code limit}. */
  List<GenuineIdentity> list(
      Optional<IdentityKind> kind,
      Optional<GenuineIdentity.Status> status,
      String afterValue,
      int limit);

  /** AVAILABLE to USED by this thing and certificate; false when it was not AVAILABLE. */
  boolean markUsed(
      IdentityKind kind, String value, String thingName, String certificateId, Instant at);

  /** To REVOKED; false when there is no such identity. */
  boolean revoke(IdentityKind kind, String value, Instant at);
}
