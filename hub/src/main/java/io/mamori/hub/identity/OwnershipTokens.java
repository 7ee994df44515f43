package io.mamori.hub.identity;

import io.mamori.hub.registry.Transactor;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Certificate ownership tokens (reference §1.2, §1.3): a random secret handed to the device with a
 * certificate created over MQTT, proving later (RegisterThing, fleet provisioning) that the caller
 * received that certificate. Valid one hour, usable once; only its SHA-256 is stored.
 */
public final class OwnershipTokens {
  /** Reference §1.3: the token is valid for one hour. */
  public static final Duration VALIDITY = Duration.ofHours(1);

  private static final int PURGE_BATCH = 500;

  private final OwnershipTokenRepository repository;
  private final Transactor transactor;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();
  private final Predicate<String> expiredUnused;

  /** Expired tokens are simply forgotten. */
  public OwnershipTokens(OwnershipTokenRepository repository, Transactor transactor, Clock clock) {
    this(repository, transactor, clock, certificateId -> false);
  }

  /**
   * @param expiredUnused told, inside the transaction that forgets an expired token, the
   *     certificate it was issued for; deletes it if nobody claimed it (reference §1.3) and says
   *     whether it did
   */
  public OwnershipTokens(
      OwnershipTokenRepository repository,
      Transactor transactor,
      Clock clock,
      Predicate<String> expiredUnused) {
    this.repository = repository;
    this.transactor = transactor;
    this.clock = clock;
    this.expiredUnused = expiredUnused;
  }

  /**
   * Creates a token for {@code certificateId} and stores its hash, inside the caller's transaction
   * if one is open (so a token never outlives a rolled-back certificate).
   */
  public String issue(String certificateId) {
    byte[] secret = new byte[32];
    random.nextBytes(secret);
    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    repository.insert(
        new OwnershipTokenRepository.StoredToken(
            hash(token), certificateId, now, now.plus(VALIDITY)));
    return token;
  }

  /**
   * Consumes a token: the certificate id it was issued for, or empty when the token is unknown,
   * already used or expired. Either way a known token is gone afterwards.
   */
  public Optional<String> consume(String token) {
    if (token == null || token.isBlank()) {
      return Optional.empty();
    }
    return transactor.inTransaction(
        () ->
            repository
                .take(hash(token))
                .filter(t -> clock.instant().isBefore(t.expiresAt()))
                .map(OwnershipTokenRepository.StoredToken::certificateId));
  }

  /**
   * The certificate id a valid (known, unused, unexpired) token was issued for, without using it
   * up: lets fleet provisioning call its pre-provisioning hook before the transaction that {@link
   * #consume consumes} the token.
   */
  public Optional<String> peek(String token) {
    if (token == null || token.isBlank()) {
      return Optional.empty();
    }
    return repository
        .find(hash(token))
        .filter(t -> clock.instant().isBefore(t.expiresAt()))
        .map(OwnershipTokenRepository.StoredToken::certificateId);
  }

  /**
   * Forgets expired tokens, and with each (same transaction) the certificate it was issued for if
   * that certificate was never activated nor attached (reference §1.3); returns how many tokens
   * were removed.
   */
  public int purgeExpired() {
    Instant now = clock.instant();
    int removed = 0;
    while (true) {
      List<OwnershipTokenRepository.StoredToken> batch = repository.expired(now, PURGE_BATCH);
      for (OwnershipTokenRepository.StoredToken token : batch) {
        transactor.inTransaction(
            () -> {
              if (repository.take(token.tokenHash()).isPresent()) {
                expiredUnused.test(token.certificateId());
              }
            });
        removed++;
      }
      if (batch.size() < PURGE_BATCH) {
        return removed;
      }
    }
  }

  static String hash(String token) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java runtime", e);
    }
  }
}
