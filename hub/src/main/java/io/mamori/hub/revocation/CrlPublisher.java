package io.mamori.hub.revocation;

import io.mamori.hub.pki.CertificateIds;
import io.mamori.hub.pki.CrlSigner;
import io.mamori.hub.registry.CertificateRepository;
import io.mamori.hub.registry.RevokedSerial;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the current signed CRL of each of the hub's CAs (RFC 5280 §5): the issuing CA's lists its
 * revoked device certificates, the root's lists revoked issuing CAs (none: the hub never revokes
 * its own issuing CA, so the root's CRL is empty but still signed, numbered and fresh).
 *
 * <p>Regenerated on every revocation ({@link #revocationCommitted()}, coalesced: a burst of
 * revocations costs one or two signatures, never fewer than the last one needs) and on a schedule,
 * well before nextUpdate, by {@link #regenerateAll()}.
 */
public final class CrlPublisher {
  private static final Logger log = LoggerFactory.getLogger(CrlPublisher.class);

  private final CertificateRepository certificates;
  private final CrlNumbers numbers;
  private final CrlSigner root;
  private final CrlSigner issuing;
  private final String issuingId;
  private final Clock clock;
  private final Duration validity;
  private final Executor executor;
  private final Map<String, PublishedCrl> current = new ConcurrentHashMap<>();
  private final AtomicBoolean issuingRegenerationQueued = new AtomicBoolean();

  /** A signed CRL as served. */
  public record PublishedCrl(
      byte[] der, BigInteger number, Instant thisUpdate, Instant nextUpdate) {}

  public CrlPublisher(
      CertificateRepository certificates,
      CrlNumbers numbers,
      CrlSigner root,
      CrlSigner issuing,
      Clock clock,
      Duration validity,
      Executor executor) {
    this.certificates = certificates;
    this.numbers = numbers;
    this.root = root;
    this.issuing = issuing;
    this.issuingId = CertificateIds.of(issuing.certificate());
    this.clock = clock;
    this.validity = validity;
    this.executor = executor;
  }

  /** The current CRL of the CA with this certificate id, empty for a CA we do not sign for. */
  public Optional<PublishedCrl> crl(String caCertificateId) {
    return Optional.ofNullable(current.get(caCertificateId));
  }

  /** Signs both CRLs now, on the calling thread. */
  public void regenerateAll() {
    regenerate(issuing);
    regenerate(root);
  }

  /**
   * A revocation was committed: the issuing CA's CRL is re-signed on the executor. A request while
   * one is queued but not yet started is absorbed by it, because it reads the registry afresh.
   */
  public void revocationCommitted() {
    if (!issuingRegenerationQueued.compareAndSet(false, true)) {
      return;
    }
    try {
      executor.execute(
          () -> {
            issuingRegenerationQueued.set(false);
            try {
              regenerate(issuing);
            } catch (RuntimeException e) {
              // The scheduled run retries; until then the previous CRL stays valid until its
              // nextUpdate and the OCSP responder already answers "revoked".
              log.error("CRL regeneration failed ca={} reason={}", issuingId, e.toString(), e);
            }
          });
    } catch (RejectedExecutionException e) {
      issuingRegenerationQueued.set(false);
      log.error("CRL regeneration not queued ca={} reason={}", issuingId, e.toString());
    }
  }

  /** Synchronized: numbers are taken and CRLs published in the same order. */
  private synchronized PublishedCrl regenerate(CrlSigner signer) {
    long started = System.nanoTime();
    String caId = CertificateIds.of(signer.certificate());
    List<CrlSigner.Entry> entries =
        signer == issuing
            ? certificates.revokedBy(caId).stream().map(CrlPublisher::entry).toList()
            : List.of();
    BigInteger number = numbers.next(caId);
    Instant thisUpdate = clock.instant();
    Instant nextUpdate = thisUpdate.plus(validity);
    var crl =
        new PublishedCrl(
            signer.sign(entries, number, thisUpdate, nextUpdate), number, thisUpdate, nextUpdate);
    current.put(caId, crl);
    log.info(
        "CRL published ca={} crlNumber={} entries={} nextUpdate={} millis={}",
        caId,
        number,
        entries.size(),
        nextUpdate,
        (System.nanoTime() - started) / 1_000_000);
    return crl;
  }

  private static CrlSigner.Entry entry(RevokedSerial revoked) {
    return new CrlSigner.Entry(
        new BigInteger(revoked.serialNumber(), 16),
        revoked.revocation().revokedAt(),
        revoked.revocation().reason());
  }
}
