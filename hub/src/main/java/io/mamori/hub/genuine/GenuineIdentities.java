package io.mamori.hub.genuine;

import io.mamori.hub.events.EventPublisher;
import io.mamori.hub.events.HubEvent;
import io.mamori.hub.registry.RegistryException;
import io.mamori.hub.registry.Transactor;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The manufacturer's list of genuine device identities (serial numbers, hardware ids, public-key
 * hashes). A provisioning template can require that a device's claimed identity is on it and
 * unused; {@link #claim} marks it used inside the provisioning transaction, so two devices
 * presenting one identity cannot both succeed and a refused provisioning uses nothing up.
 */
public final class GenuineIdentities {
  /** Entries per import call (the CLI sends larger files in chunks). */
  public static final int MAX_IMPORT = 10_000;

  public static final int MAX_LIST = 1_000;

  private final GenuineIdentityRepository repository;
  private final Transactor transactor;
  private final EventPublisher events;
  private final Clock clock;

  public GenuineIdentities(
      GenuineIdentityRepository repository,
      Transactor transactor,
      EventPublisher events,
      Clock clock) {
    this.repository = repository;
    this.transactor = transactor;
    this.events = events;
    this.clock = clock;
  }

  /** One identity to import. */
  public record Entry(IdentityKind kind, String value) {}

  /** How an import went: new entries, and entries that were on the list already (unchanged). */
  public record Imported(int added, int alreadyListed) {}

  /**
   * Adds identities as AVAILABLE, all or nothing; entries already listed keep their state (a used
   * serial imported again stays used).
   *
   * @throws RegistryException INVALID naming the first bad entry (nothing is imported then)
   */
  public Imported importAll(List<Entry> entries, String actor) {
    if (entries.isEmpty() || entries.size() > MAX_IMPORT) {
      throw RegistryException.invalid(
          "an import holds 1 to " + MAX_IMPORT + " identities, got " + entries.size());
    }
    List<Entry> normalized =
        entries.stream().map(e -> new Entry(e.kind(), e.kind().normalize(e.value()))).toList();
    Instant at = now();
    int added =
        transactor.inTransaction(
            () -> {
              int count = 0;
              for (Entry entry : normalized) {
                count += repository.insertIfAbsent(entry.kind(), entry.value(), at) ? 1 : 0;
              }
              return count;
            });
    events.publish(
        new HubEvent(
            "genuine.imported",
            at,
            actor,
            "genuine-identities",
            HubEvent.SUCCESS,
            "",
            Map.of(
                "added",
                Integer.toString(added),
                "alreadyListed",
                Integer.toString(normalized.size() - added))));
    return new Imported(added, normalized.size() - added);
  }

  public GenuineIdentity get(IdentityKind kind, String value) {
    String v = kind.normalize(value);
    return repository
        .find(kind, v)
        .orElseThrow(() -> RegistryException.notFound(kind.wireName() + " " + v));
  }

  public List<GenuineIdentity> list(
      Optional<IdentityKind> kind,
      Optional<GenuineIdentity.Status> status,
      String after,
      int limit) {
    if (limit < 1 || limit > MAX_LIST) {
      throw RegistryException.invalid("limit must be 1 to " + MAX_LIST);
    }
    return repository.list(kind, status, after, limit);
  }

  /** Makes an identity unusable (a stolen or leaked serial); a used one keeps who used it. */
  public GenuineIdentity revoke(IdentityKind kind, String value, String actor) {
    String v = kind.normalize(value);
    if (!transactor.inTransaction(() -> repository.revoke(kind, v, now()))) {
      throw RegistryException.notFound(kind.wireName() + " " + v);
    }
    GenuineIdentity revoked = get(kind, v);
    events.publish(
        new HubEvent(
            "genuine.revoked",
            now(),
            actor,
            kind.wireName() + ":" + v,
            HubEvent.SUCCESS,
            "",
            revoked.thingName().map(t -> Map.of("thing", t)).orElse(Map.of())));
    return revoked;
  }

  /**
   * Marks {@code value} used by this thing and certificate. Call inside the provisioning
   * transaction: a later failure rolls the mark back.
   *
   * @throws NotGenuineException when the identity is unknown, already used or revoked
   */
  public void claim(IdentityKind kind, String value, String thingName, String certificateId) {
    String v;
    try {
      v = kind.normalize(value);
    } catch (RegistryException e) {
      throw new NotGenuineException(
          kind, String.valueOf(value), NotGenuineException.Reason.UNKNOWN, Optional.empty());
    }
    if (repository.markUsed(kind, v, thingName, certificateId, now())) {
      return;
    }
    Optional<GenuineIdentity> found = repository.find(kind, v);
    if (found.isEmpty()) {
      throw new NotGenuineException(kind, v, NotGenuineException.Reason.UNKNOWN, Optional.empty());
    }
    throw new NotGenuineException(
        kind,
        v,
        found.get().status() == GenuineIdentity.Status.REVOKED
            ? NotGenuineException.Reason.REVOKED
            : NotGenuineException.Reason.ALREADY_USED,
        found.get().thingName());
  }

  /** {@link IdentityKind#PUBLIC_KEY_SHA256} of a key: SHA-256 of its DER SubjectPublicKeyInfo. */
  public static String fingerprint(PublicKey key) {
    try {
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("SHA-256").digest(key.getEncoded()));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java runtime", e);
    }
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }
}
