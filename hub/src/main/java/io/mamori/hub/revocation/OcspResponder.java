package io.mamori.hub.revocation;

import io.mamori.hub.pki.OcspSigner;
import io.mamori.hub.pki.RevocationReason;
import io.mamori.hub.registry.CertificateRepository;
import io.mamori.hub.registry.DeviceCertificate;
import io.mamori.hub.registry.Revocation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.cert.CertificateEncodingException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.ASN1GeneralizedTime;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.ocsp.RevokedInfo;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPRespBuilder;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPException;
import org.bouncycastle.cert.ocsp.OCSPReq;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.OCSPRespBuilder;
import org.bouncycastle.cert.ocsp.Req;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.UnknownStatus;
import org.bouncycastle.operator.DigestCalculatorProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The RFC 6960 OCSP responder for the issuing CA's certificates: good, revoked (with time and
 * reason) or unknown, signed by the delegated responder certificate.
 *
 * <p>Responses to requests without a nonce are pre-signed and cached per certificate, so answering
 * one costs a map lookup; a cached response is re-signed in the background once half its validity
 * has passed, and dropped at once when its certificate is revoked ({@link #certificateRevoked}). A
 * request with a nonce (RFC 6960 §4.4.1) must get that nonce back inside the signed response, so it
 * is always signed afresh, on the executor.
 */
public final class OcspResponder {
  private static final Logger log = LoggerFactory.getLogger(OcspResponder.class);
  private static final ASN1ObjectIdentifier NONCE = OCSPObjectIdentifiers.id_pkix_ocsp_nonce;

  /** Replaced by {@link #signerRenewed}; each response is built and signed by one snapshot. */
  private volatile OcspSigner signer;

  private final X509CertificateHolder issuer;
  private final String issuerId;
  private final CertificateRepository certificates;
  private final Clock clock;
  private final Duration validity;
  private final int maxCachedCertificates;
  private final Executor executor;
  private final DigestCalculatorProvider digests = OcspSigner.digests();

  /** serial → (CertID hash algorithm → signed response). */
  private final Map<BigInteger, Map<ASN1ObjectIdentifier, CachedResponse>> cache =
      new ConcurrentHashMap<>();

  /**
   * Exact request bytes → the one certificate they ask about, for requests without extensions:
   * identical bytes ask the identical question, so a repeated request skips ASN.1 parsing. Only an
   * index: the answer still comes from {@link #cache}, which revocation empties.
   */
  private final Map<RequestBytes, CertificateID> byRequestBytes = new ConcurrentHashMap<>();

  private final java.util.Set<BigInteger> refreshing = ConcurrentHashMap.newKeySet();

  /** certificateId → serial of cached entries, so a revocation can evict without a lookup. */
  private final Map<String, BigInteger> serialsById = new ConcurrentHashMap<>();

  /**
   * Bumped by every revocation before its eviction: a response signed from a registry read that may
   * predate the revocation is then not cached (see {@link #cacheIfCurrent}).
   */
  private final AtomicLong revocations = new AtomicLong();

  private record CachedResponse(byte[] der, Instant refreshAfter, Instant nextUpdate) {}

  /** A request's DER with value equality. */
  private record RequestBytes(byte[] der) {
    @Override
    public boolean equals(Object other) {
      return other instanceof RequestBytes that && java.util.Arrays.equals(der, that.der);
    }

    @Override
    public int hashCode() {
      return java.util.Arrays.hashCode(der);
    }
  }

  /** What the registry says of one certificate at one moment. */
  private record Answer(CertificateStatus status, Optional<DeviceCertificate> certificate) {}

  public OcspResponder(
      OcspSigner signer,
      String issuerCertificateId,
      CertificateRepository certificates,
      Clock clock,
      Duration validity,
      int maxCachedCertificates,
      Executor executor) {
    this.signer = signer;
    try {
      this.issuer = new JcaX509CertificateHolder(signer.issuer());
    } catch (CertificateEncodingException e) {
      throw new IllegalStateException("cannot read the issuing CA certificate", e);
    }
    this.issuerId = issuerCertificateId;
    this.certificates = certificates;
    this.clock = clock;
    this.validity = validity;
    this.maxCachedCertificates = maxCachedCertificates;
    this.executor = executor;
  }

  /** A parsed request and whether the cache can answer it. */
  public sealed interface Parsed {}

  /** Answered without signing: malformed, unauthorized, or a cached response. */
  public record Ready(byte[] der) implements Parsed {}

  /** Needs a signature (nonce, several certificates, or not cached yet). */
  public record NeedsSigning(OCSPReq request) implements Parsed {}

  /**
   * Parses {@code der} and answers at once what needs no signature; cheap enough for a network
   * event loop.
   */
  public Parsed parse(byte[] der) {
    RequestBytes bytes = new RequestBytes(der);
    CertificateID known = byRequestBytes.get(bytes);
    if (known != null) {
      Optional<byte[]> fresh = fromCache(known);
      if (fresh.isPresent()) {
        return new Ready(fresh.get());
      }
    }
    OCSPReq request;
    Req[] singles;
    try {
      request = new OCSPReq(der);
      singles = request.getRequestList();
    } catch (IOException | RuntimeException e) {
      log.info("OCSP request refused status=malformedRequest reason={}", e.toString());
      return new Ready(status(OCSPRespBuilder.MALFORMED_REQUEST));
    }
    if (singles.length == 0) {
      log.info("OCSP request refused status=malformedRequest reason=\"no certificate asked\"");
      return new Ready(status(OCSPRespBuilder.MALFORMED_REQUEST));
    }
    for (Req single : singles) {
      if (!servedHere(single.getCertID())) {
        // RFC 6960 §2.3: "unauthorized" when the responder cannot answer for that CA.
        log.warn(
            "OCSP request refused status=unauthorized reason=\"not issued by a CA this hub"
                + " answers for\" issuerNameHash={} serial={} servedCa={}",
            org.bouncycastle.util.encoders.Hex.toHexString(single.getCertID().getIssuerNameHash()),
            single.getCertID().getSerialNumber().toString(16),
            issuerId);
        return new Ready(status(OCSPRespBuilder.UNAUTHORIZED));
      }
    }
    if (singles.length == 1 && request.getExtension(NONCE) == null) {
      CertificateID id = singles[0].getCertID();
      if (!request.hasExtensions()
          && singles[0].getSingleRequestExtensions() == null
          && byRequestBytes.size() < maxCachedCertificates) {
        byRequestBytes.put(bytes, id);
      }
      Optional<byte[]> cached = fromCache(id);
      if (cached.isPresent()) {
        return new Ready(cached.get());
      }
    }
    return new NeedsSigning(request);
  }

  /** A cached response still before its nextUpdate; schedules a re-sign past half its life. */
  private Optional<byte[]> fromCache(CertificateID id) {
    CachedResponse cached = cached(id);
    if (cached == null) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    if (!now.isBefore(cached.nextUpdate())) {
      return Optional.empty();
    }
    if (now.isAfter(cached.refreshAfter())) {
      refreshLater(id);
    }
    return Optional.of(cached.der());
  }

  /** Signs the response to a request {@link #parse} could not answer; blocking (registry read). */
  public byte[] sign(NeedsSigning parsed) {
    OCSPReq request = parsed.request();
    Extension nonce = request.getExtension(NONCE);
    Req[] singles = request.getRequestList();
    long revocationsBefore = revocations.get();
    Instant now = clock.instant();
    // One signer for the whole response: the responder id must name the key that signs it.
    OcspSigner current = signer;
    BasicOCSPRespBuilder builder = current.newResponse();
    Answer last = null;
    for (Req single : singles) {
      last = lookUp(single.getCertID());
      builder.addResponse(
          single.getCertID(), last.status(), Date.from(now), Date.from(now.plus(validity)), null);
    }
    if (nonce != null) {
      // RFC 6960 §4.4.1: the nonce is echoed unchanged in responseExtensions.
      builder.setResponseExtensions(new Extensions(nonce));
    }
    byte[] der = successful(current, builder, now);
    if (nonce == null && singles.length == 1 && last.certificate().isPresent()) {
      cacheIfCurrent(
          singles[0].getCertID(), last.certificate().get(), der, now, revocationsBefore, current);
    }
    return der;
  }

  /** Answers a request completely (parse, then sign if needed) on the calling thread. */
  public byte[] respond(byte[] der) {
    Parsed parsed = parse(der);
    return parsed instanceof Ready ready ? ready.der() : sign((NeedsSigning) parsed);
  }

  /** "malformedRequest" (RFC 6960 §2.3), for a request that cannot even be decoded. */
  public static byte[] malformed() {
    return status(OCSPRespBuilder.MALFORMED_REQUEST);
  }

  /** "tryLater" (RFC 6960 §2.3), for when the signing executor is full. */
  public static byte[] tryLater() {
    return status(OCSPRespBuilder.TRY_LATER);
  }

  /** Evicts the certificate's cached responses; the next request is signed from the registry. */
  public void certificateRevoked(String certificateId) {
    revocations.incrementAndGet();
    BigInteger serial = serialsById.remove(certificateId);
    if (serial != null) {
      cache.remove(serial);
    }
  }

  /**
   * Switches to the renewed delegated signer and re-signs every cached response with it (on the
   * calling thread, from the registry as it is now), so that no answer handed out from here on
   * names the old responder certificate. Until an entry is re-signed it keeps its old answer, which
   * stays valid: the old certificate is renewed with a third of its life left.
   *
   * @return how many cached responses were re-signed
   */
  public int signerRenewed(OcspSigner renewed) {
    signer = renewed;
    java.util.List<CertificateID> ids = new java.util.ArrayList<>();
    cache.values().forEach(byAlgorithm -> byAlgorithm.values().forEach(r -> ids.add(certId(r))));
    int resigned = 0;
    for (CertificateID id : ids) {
      try {
        sign(new NeedsSigning(new OCSPReqBuilder().addRequest(id).build()));
        resigned++;
      } catch (OCSPException | RuntimeException e) {
        log.warn("OCSP re-sign after renewal failed serial={} reason={}", id.getSerialNumber(), e);
      }
    }
    return resigned;
  }

  /** The CertID a cached response answers, exactly as its request asked (hash algorithm too). */
  private static CertificateID certId(CachedResponse response) {
    try {
      var basic =
          (org.bouncycastle.cert.ocsp.BasicOCSPResp)
              new OCSPResp(response.der()).getResponseObject();
      return basic.getResponses()[0].getCertID();
    } catch (IOException | OCSPException e) {
      throw new IllegalStateException("a cached OCSP response no longer parses", e);
    }
  }

  /** How many certificates have cached responses (for tests and logs). */
  public int cachedCertificates() {
    return cache.size();
  }

  private boolean servedHere(CertificateID id) {
    try {
      return id.matchesIssuer(issuer, digests);
    } catch (OCSPException | RuntimeException e) {
      // An unsupported hash algorithm: we cannot tell it is ours, so we do not answer for it.
      return false;
    }
  }

  private CachedResponse cached(CertificateID id) {
    var byAlgorithm = cache.get(id.getSerialNumber());
    return byAlgorithm == null ? null : byAlgorithm.get(id.getHashAlgOID());
  }

  private void refreshLater(CertificateID id) {
    // One re-sign per certificate at a time, however many requests see the entry ageing.
    if (!refreshing.add(id.getSerialNumber())) {
      return;
    }
    try {
      executor.execute(
          () -> {
            try {
              OCSPReq request = new OCSPReqBuilder().addRequest(id).build();
              sign(new NeedsSigning(request));
            } catch (OCSPException | RuntimeException e) {
              log.warn("OCSP cache refresh failed serial={} reason={}", id.getSerialNumber(), e);
            } finally {
              refreshing.remove(id.getSerialNumber());
            }
          });
    } catch (RejectedExecutionException e) {
      // Busy: the cached response is still valid and the next request tries again.
      refreshing.remove(id.getSerialNumber());
    }
  }

  private Answer lookUp(CertificateID id) {
    String serial = id.getSerialNumber().toString(16);
    Optional<DeviceCertificate> found = certificates.findBySerial(issuerId, serial);
    if (found.isEmpty()) {
      // RFC 6960 §2.2: unknown, the responder does not know the certificate.
      return new Answer(new UnknownStatus(), found);
    }
    DeviceCertificate certificate = found.get();
    if (certificate.status() != io.mamori.hub.registry.CertificateStatus.REVOKED) {
      // INACTIVE is the hub's own switch, not a revocation: to the rest of the world it is good.
      return new Answer(CertificateStatus.GOOD, found);
    }
    Revocation revocation =
        certificate
            .revocation()
            .orElse(new Revocation(certificate.updatedAt(), RevocationReason.UNSPECIFIED));
    return new Answer(revoked(revocation), found);
  }

  private static CertificateStatus revoked(Revocation revocation) {
    var time = new ASN1GeneralizedTime(Date.from(revocation.revokedAt()));
    int code = revocation.reason().code();
    // Like a CRL entry (RFC 5280 §5.3.1), an unspecified reason is left out.
    CRLReason reason = code == 0 ? null : CRLReason.lookup(code);
    return new RevokedStatus(new RevokedInfo(time, reason));
  }

  private void cacheIfCurrent(
      CertificateID id,
      DeviceCertificate certificate,
      byte[] der,
      Instant now,
      long revocationsBefore,
      OcspSigner signedBy) {
    if (cache.size() >= maxCachedCertificates && !cache.containsKey(id.getSerialNumber())) {
      return;
    }
    Instant refreshAfter = now.plus(validity.dividedBy(2));
    cache.compute(
        id.getSerialNumber(),
        (serial, byAlgorithm) -> {
          // Checked under the entry's lock; certificateRevoked bumps the counter before it
          // removes this entry, so a stale "good" either is not put or is removed right after.
          if (revocations.get() != revocationsBefore || signer != signedBy) {
            return byAlgorithm;
          }
          var updated =
              byAlgorithm == null
                  ? new ConcurrentHashMap<ASN1ObjectIdentifier, CachedResponse>()
                  : byAlgorithm;
          updated.put(
              id.getHashAlgOID(), new CachedResponse(der, refreshAfter, now.plus(validity)));
          serialsById.put(certificate.id(), serial);
          return updated;
        });
  }

  /** Drops responses past their nextUpdate; called by the scheduler. */
  public void evictExpired() {
    Instant now = clock.instant();
    cache
        .values()
        .forEach(byAlgorithm -> byAlgorithm.values().removeIf(r -> !now.isBefore(r.nextUpdate())));
    cache.values().removeIf(Map::isEmpty);
    serialsById.values().removeIf(serial -> !cache.containsKey(serial));
    byRequestBytes.values().removeIf(id -> !cache.containsKey(id.getSerialNumber()));
  }

  private static byte[] successful(OcspSigner signer, BasicOCSPRespBuilder builder, Instant now) {
    try {
      return new OCSPRespBuilder()
          .build(OCSPRespBuilder.SUCCESSFUL, signer.sign(builder, now))
          .getEncoded();
    } catch (OCSPException e) {
      throw new IllegalStateException("cannot build OCSP response", e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] status(int status) {
    try {
      // RFC 6960 §4.2.1: error statuses carry no responseBytes and are not signed.
      return new OCSPResp(
              new org.bouncycastle.asn1.ocsp.OCSPResponse(
                  new org.bouncycastle.asn1.ocsp.OCSPResponseStatus(status), null))
          .getEncoded();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
