package io.mamori.hub.registry;

import io.mamori.hub.events.EventPublisher;
import io.mamori.hub.events.HubEvent;
import io.mamori.hub.pki.CertificateAuthority;
import io.mamori.hub.pki.CsrRejectedException;
import io.mamori.hub.pki.IssuedCertificate;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.function.IntFunction;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import javax.security.auth.x500.X500Principal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issues device certificates from CSRs in batches, at factory speed: CSR checks and signatures run
 * on every core, and the whole batch is stored in one transaction (one commit, one fsync). Each
 * item succeeds or fails on its own.
 *
 * <p>Safe to send again: a batch id names a production run, and a public key that already has a
 * certificate in that batch gets that certificate back instead of a second one. The record of it is
 * committed with the certificate, so a crash between signing and the client saving the answer never
 * leaves two certificates for one key.
 */
public final class BatchIssuance {
  /** Most items in one request (a request body holds at most 256 KiB). */
  public static final int MAX_ITEMS = 500;

  private static final Logger LOG = LoggerFactory.getLogger(BatchIssuance.class);
  private static final Pattern BATCH_ID = Pattern.compile("[A-Za-z0-9_.:-]{1,128}");

  private final CertificateRepository certificates;
  private final ThingRepository things;
  private final PolicyRepository policies;
  private final CertificateBatchRepository batches;
  private final CertificateAuthority authority;
  private final int defaultValidityDays;
  private final Transactor transactor;
  private final EventPublisher events;
  private final RegistryListener listener;
  private final Clock clock;
  // CPU-bound work only (CSR checks, signatures): one thread per core.
  private final ForkJoinPool signers;

  public BatchIssuance(
      CertificateRepository certificates,
      ThingRepository things,
      PolicyRepository policies,
      CertificateBatchRepository batches,
      CertificateAuthority authority,
      int defaultValidityDays,
      Transactor transactor,
      EventPublisher events,
      RegistryListener listener,
      Clock clock) {
    this.certificates = certificates;
    this.things = things;
    this.policies = policies;
    this.batches = batches;
    this.authority = authority;
    this.defaultValidityDays = defaultValidityDays;
    this.transactor = transactor;
    this.events = events;
    this.listener = listener;
    this.clock = clock;
    this.signers = new ForkJoinPool(Runtime.getRuntime().availableProcessors());
  }

  /**
   * Issues a certificate for each item not issued before in {@code batchId}. With {@code
   * createThings}, a thing that does not exist is created (without attributes); otherwise its item
   * fails. The outcomes are in the order of {@code items}.
   */
  public List<BatchOutcome> issue(
      String batchId, List<BatchItem> items, boolean createThings, String actor) {
    if (batchId == null || !BATCH_ID.matcher(batchId).matches()) {
      throw RegistryException.invalid(
          "batch id must be 1-128 characters of letters, digits, '_', '.', ':', '-'");
    }
    if (items.isEmpty() || items.size() > MAX_ITEMS) {
      throw RegistryException.invalid(
          "a batch holds 1 to " + MAX_ITEMS + " items, got " + items.size());
    }
    long started = System.nanoTime();
    Instant at = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    BatchOutcome[] outcomes = new BatchOutcome[items.size()];
    List<Checked> checked = parallel(items.size(), i -> check(i, items.get(i)));
    List<Checked> toSign = new ArrayList<>();
    Map<String, Integer> firstWithKey = new HashMap<>();
    Lookups lookups = new Lookups();
    for (Checked item : checked) {
      if (item.failure() != null) {
        outcomes[item.index()] = new BatchOutcome.Failed(item.index(), item.failure());
        continue;
      }
      Integer first = firstWithKey.putIfAbsent(item.keyHash(), item.index());
      if (first != null) {
        outcomes[item.index()] =
            new BatchOutcome.Failed(
                item.index(), "same public key as item " + first + " of this request");
        continue;
      }
      Optional<BatchOutcome> known = existing(batchId, item);
      if (known.isPresent()) {
        outcomes[item.index()] = known.get();
        continue;
      }
      // Checked before signing so a typo costs no signature; checked again in the transaction.
      Optional<String> missing = missingReference(item.item(), createThings, lookups);
      if (missing.isPresent()) {
        outcomes[item.index()] = new BatchOutcome.Failed(item.index(), missing.get());
        continue;
      }
      toSign.add(item);
    }
    // The registry record is made here too: reading the signed certificate's names and times
    // back costs more than the inserts, and the store phase below runs on one thread.
    // RFC 5280 §4.1.2.4: each certificate's issuer field is the issuing CA's subject, byte for byte
    // (CertificateSigner copies it), so its name is formatted once per batch.
    String issuerId = authority.issuingCertificateId();
    String issuerName =
        authority.issuingCertificate().getSubjectX500Principal().getName(X500Principal.RFC2253);
    List<DeviceCertificate> signed =
        parallel(
            toSign.size(),
            i -> {
              Checked item = toSign.get(i);
              IssuedCertificate issued =
                  authority.issueForVerifiedKey(
                      item.item().thingName(), item.key(), Duration.ofDays(item.days()));
              return CertificateService.registration(issued, at, issuerId, issuerName);
            });
    long signedAt = System.nanoTime();
    Stored stored = store(batchId, toSign, signed, createThings, at, outcomes);
    long storedAt = System.nanoTime();
    announce(batchId, items, outcomes, stored, actor, at);
    LOG.info(
        "certificate batch issued batchId={} items={} issued={} existing={} failed={} millis={}"
            + " storeMillis={}",
        batchId,
        items.size(),
        count(outcomes, BatchOutcome.Issued.class, false),
        count(outcomes, BatchOutcome.Issued.class, true),
        count(outcomes, BatchOutcome.Failed.class, false),
        (System.nanoTime() - started) / 1_000_000,
        // The store runs on one thread while the cores that signed wait: what overlapping
        // requests (cert issue-bulk --parallel) are for.
        (storedAt - signedAt) / 1_000_000);
    return List.of(outcomes);
  }

  /** What the parallel check of one item found: its key, or why it is refused. */
  private record Checked(
      int index, BatchItem item, PublicKey key, String keyHash, int days, String failure) {
    static Checked failed(int index, BatchItem item, String failure) {
      return new Checked(index, item, null, null, 0, failure);
    }
  }

  private Checked check(int index, BatchItem item) {
    try {
      RegistryRules.thingName(item.thingName());
      item.policyName().ifPresent(RegistryRules::policyName);
      int days = item.validityDays().orElse(defaultValidityDays);
      if (days < 1 || days > CertificateService.MAX_VALIDITY_DAYS) {
        return Checked.failed(
            index,
            item,
            "validity must be 1 to " + CertificateService.MAX_VALIDITY_DAYS + " days, got " + days);
      }
      if (item.csrPem() == null || item.csrPem().isBlank()) {
        return Checked.failed(index, item, "CSR missing");
      }
      PublicKey key = authority.verifyCsr(item.csrPem());
      return new Checked(index, item, key, sha256(key.getEncoded()), days, null);
    } catch (CsrRejectedException e) {
      return Checked.failed(index, item, "CSR rejected: " + e.getMessage());
    } catch (RegistryException e) {
      return Checked.failed(index, item, e.getMessage());
    }
  }

  private Optional<BatchOutcome> existing(String batchId, Checked item) {
    return batches
        .find(batchId, item.keyHash())
        .flatMap(certificates::find)
        .map(c -> new BatchOutcome.Issued(item.index(), c, true));
  }

  /** Remembers which things and policies exist, so a batch asks the database once per name. */
  private final class Lookups {
    private final Map<String, Boolean> thingExists = new HashMap<>();
    private final Map<String, Boolean> policyExists = new HashMap<>();

    boolean thing(String name) {
      return thingExists.computeIfAbsent(name, n -> things.find(n).isPresent());
    }

    boolean policy(String name) {
      return policyExists.computeIfAbsent(name, n -> policies.find(n).isPresent());
    }

    void created(String thing) {
      thingExists.put(thing, true);
    }
  }

  private Optional<String> missingReference(BatchItem item, boolean createThings, Lookups known) {
    if (!createThings && !known.thing(item.thingName())) {
      return Optional.of(
          "thing " + item.thingName() + " not found (create it first, or ask to create things)");
    }
    return item.policyName().filter(p -> !known.policy(p)).map(p -> "policy " + p + " not found");
  }

  /** Things created and things that already existed, among the stored items. */
  private record Stored(Set<String> createdThings, Set<String> existingThings) {}

  /** One transaction for the whole batch: every stored item commits together. */
  private Stored store(
      String batchId,
      List<Checked> toSign,
      List<DeviceCertificate> signed,
      boolean createThings,
      Instant at,
      BatchOutcome[] outcomes) {
    Set<String> created = new LinkedHashSet<>();
    Set<String> existingThings = new LinkedHashSet<>();
    BatchOutcome[] pending = new BatchOutcome[outcomes.length];
    try {
      transactor.inTransaction(
          () -> {
            Lookups known = new Lookups();
            for (int i = 0; i < toSign.size(); i++) {
              Checked item = toSign.get(i);
              // Another request of the same batch may have committed this key meanwhile.
              Optional<BatchOutcome> known2 = existing(batchId, item);
              if (known2.isPresent()) {
                pending[item.index()] = known2.get();
                continue;
              }
              Optional<String> missing = missingReference(item.item(), createThings, known);
              if (missing.isPresent()) {
                pending[item.index()] = new BatchOutcome.Failed(item.index(), missing.get());
                continue;
              }
              String thing = item.item().thingName();
              if (!known.thing(thing)) {
                things.insert(new Thing(thing, Optional.empty(), Map.of(), 1, at, at));
                known.created(thing);
                created.add(thing);
              } else if (!created.contains(thing)) {
                existingThings.add(thing);
              }
              DeviceCertificate registered = signed.get(i);
              certificates.insert(registered);
              certificates.attachThing(registered.id(), thing);
              item.item().policyName().ifPresent(p -> policies.attach(p, registered.id()));
              batches.record(batchId, item.keyHash(), registered.id());
              pending[item.index()] = new BatchOutcome.Issued(item.index(), registered, false);
            }
          });
    } catch (RuntimeException e) {
      // Nothing of the batch was stored; the certificates signed for it were never registered,
      // and only registered ACTIVE certificates authenticate.
      LOG.warn("certificate batch not stored batchId={} reason={}", batchId, e.toString());
      for (Checked item : toSign) {
        pending[item.index()] =
            new BatchOutcome.Failed(item.index(), "not stored: " + e.getMessage());
      }
      created.clear();
      existingThings.clear();
    }
    for (Checked item : toSign) {
      outcomes[item.index()] = pending[item.index()];
    }
    return new Stored(created, existingThings);
  }

  /** The event of one stored request: what every certificate and created thing was. */
  public static final String BATCH_EVENT = "certificate.batch-issued";

  /**
   * One event for the whole request instead of one per certificate and per created thing: the audit
   * log then hashes, writes and fsyncs one record per 500 certificates. The record keeps the
   * evidence of each certificate in its {@code certificates} detail, one entry per certificate
   * separated by ';', each "certificateId serialNumber thing notAfter policy" ('-' for no policy;
   * neither names nor ids contain ' ' or ';'), and lists the things it created in {@code
   * thingsCreated} (space-separated). A refused item still gets its own failure event.
   */
  private void announce(
      String batchId,
      List<BatchItem> items,
      BatchOutcome[] outcomes,
      Stored stored,
      String actor,
      Instant at) {
    StringBuilder issued = new StringBuilder();
    int count = 0;
    for (BatchOutcome outcome : outcomes) {
      BatchItem item = items.get(outcome.index());
      if (outcome instanceof BatchOutcome.Issued done && !done.existing()) {
        DeviceCertificate certificate = done.certificate();
        if (count++ > 0) {
          issued.append(';');
        }
        issued
            .append(certificate.id())
            .append(' ')
            .append(certificate.serialNumber())
            .append(' ')
            .append(item.thingName())
            .append(' ')
            .append(certificate.notAfter())
            .append(' ')
            .append(item.policyName().orElse("-"));
      } else if (outcome instanceof BatchOutcome.Failed failed) {
        events.publish(
            new HubEvent(
                "certificate.issued",
                at,
                actor,
                item.thingName(),
                HubEvent.FAILURE,
                failed.reason(),
                Map.of("batchId", batchId, "index", Integer.toString(failed.index()))));
      }
    }
    if (count > 0 || !stored.createdThings().isEmpty()) {
      var details = new LinkedHashMap<String, String>();
      details.put("batchId", batchId);
      details.put("issued", Integer.toString(count));
      details.put("certificates", issued.toString());
      details.put("thingsCreated", String.join(" ", stored.createdThings()));
      events.publish(new HubEvent(BATCH_EVENT, at, actor, batchId, HubEvent.SUCCESS, "", details));
    }
    // A new certificate changes what a live connection of an existing thing may rely on
    // (iot:Connection.Thing.IsAttached); a thing created just now has no connection.
    for (String thing : stored.existingThings()) {
      try {
        listener.thingChanged(thing);
      } catch (RuntimeException e) {
        LOG.error("registry listener failed after commit reason={}", e.toString(), e);
      }
    }
  }

  private <T> List<T> parallel(int size, IntFunction<T> work) {
    if (size == 0) {
      return List.of();
    }
    try {
      return signers
          .submit(() -> IntStream.range(0, size).parallel().mapToObj(work).toList())
          .get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while signing a batch", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  private static long count(BatchOutcome[] outcomes, Class<?> type, boolean existing) {
    int n = 0;
    for (BatchOutcome outcome : outcomes) {
      if (type.isInstance(outcome)
          && (!(outcome instanceof BatchOutcome.Issued issued) || issued.existing() == existing)) {
        n++;
      }
    }
    return n;
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every JDK", e);
    }
  }
}
