package io.mamori.hub.identity;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Persistence of certificate ownership tokens, kept only as SHA-256 hashes. */
public interface OwnershipTokenRepository {
  /** A stored token: the certificate it proves ownership of, and when it stops being valid. */
  record StoredToken(
      String tokenHash, String certificateId, Instant createdAt, Instant expiresAt) {}

  void insert(StoredToken token);

  /** Deletes and returns the token with this hash, if present (single use). */
  Optional<StoredToken> take(String tokenHash);

  /** The token with this hash, if present, without using it up. */
  Optional<StoredToken> find(String tokenHash);

  /** Deletes tokens that expired before {@code now}; returns how many. */
  int deleteExpired(Instant now);

  /** Tokens that expired before {@code now}, oldest first, at most {@code limit}. */
  List<StoredToken> expired(Instant now, int limit);
}
