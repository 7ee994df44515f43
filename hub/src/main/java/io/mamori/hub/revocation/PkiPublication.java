package io.mamori.hub.revocation;

import io.mamori.hub.config.PkiPublicationSettings;
import io.mamori.hub.events.EventPublisher;
import io.mamori.hub.events.HubEvent;
import io.mamori.hub.pki.CertificateAuthority;
import io.mamori.hub.pki.CertificateIds;
import io.mamori.hub.pki.OcspSignerRenewal;
import io.mamori.hub.pki.PublicationUrls;
import io.mamori.hub.pki.RevocationSigners;
import io.mamori.hub.registry.CertificateRepository;
import io.mamori.hub.registry.CertificateStatus;
import io.mamori.hub.registry.RegistryListener;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Revocation publishing, assembled: the HTTP listener, the CRLs and the OCSP responder, the
 * schedule that keeps them fresh, and the registry listener that updates both at once on every
 * revocation. Built in two steps because certificates need the listener's URL before the CA that
 * signs them exists: {@link #bind}, then {@link #start}.
 */
public final class PkiPublication implements RegistryListener, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PkiPublication.class);

  /** Responses cached for at most this many certificates; beyond, responses are signed afresh. */
  private static final int MAX_CACHED_CERTIFICATES = 1_000_000;

  /**
   * How often the OCSP signing certificate is checked for renewal. It is renewed with a third of
   * its 90 days left, so an hourly check leaves weeks to retry a failure.
   */
  static final Duration OCSP_SIGNER_CHECK_PERIOD = Duration.ofHours(1);

  /** Event type of a renewal of the delegated OCSP signing certificate. */
  public static final String OCSP_SIGNER_RENEWED = "pki.ocsp-signer.renewed";

  private final PkiPublicationSettings settings;
  private final PkiHttpServer server;
  private final PublicationUrls urls;
  private final ScheduledExecutorService scheduler;
  private volatile CrlPublisher crls;
  private volatile OcspResponder ocsp;
  private volatile OcspSignerRenewal ocspSigners;
  private volatile EventPublisher events;
  private volatile Clock clock;

  private PkiPublication(
      PkiPublicationSettings settings, PkiHttpServer server, PublicationUrls urls) {
    this.settings = settings;
    this.server = server;
    this.urls = urls;
    var scheduled =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "mamori-crl");
              t.setDaemon(true);
              return t;
            });
    scheduled.setRemoveOnCancelPolicy(true);
    this.scheduler = scheduled;
  }

  /**
   * Binds the listener. The base URL is the configured one, else {@code http://<first of hostnames,
   * or localhost>:<bound port>}.
   */
  public static PkiPublication bind(PkiPublicationSettings settings, List<String> hostnames) {
    PkiHttpServer server = PkiHttpServer.bind(settings.httpHost(), settings.httpPort());
    try {
      String host = hostnames.isEmpty() ? "localhost" : hostnames.get(0);
      if (host.contains(":")) {
        host = "[" + host + "]"; // RFC 3986 §3.2.2: an IPv6 literal in a URL is bracketed
      }
      String base = settings.baseUrl().orElse("http://" + host + ":" + server.port());
      return new PkiPublication(settings, server, new PublicationUrls(base));
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
  }

  /** What the CA writes into the certificates it issues. */
  public PublicationUrls urls() {
    return urls;
  }

  public int port() {
    return server.port();
  }

  /** Signs the first CRLs, then serves, and keeps CRLs and cached OCSP answers fresh. */
  public void start(
      CertificateAuthority authority,
      CertificateRepository certificates,
      CrlNumbers numbers,
      Clock clock,
      EventPublisher events) {
    RevocationSigners signers = authority.revocationSigners();
    this.ocspSigners = signers.ocspRenewal();
    this.events = events;
    this.clock = clock;
    crls =
        new CrlPublisher(
            certificates,
            numbers,
            signers.rootCrl(),
            signers.issuingCrl(),
            clock,
            settings.crlValidity(),
            scheduler);
    ocsp =
        new OcspResponder(
            signers.ocsp(),
            authority.issuingCertificateId(),
            certificates,
            clock,
            settings.ocspValidity(),
            MAX_CACHED_CERTIFICATES,
            server.executor());
    crls.regenerateAll();
    server.serve(new PkiRoutes(crls, ocsp, authority.chain()));
    long refreshMillis = settings.crlValidity().dividedBy(2).toMillis();
    scheduler.scheduleWithFixedDelay(
        this::refreshCrls, refreshMillis, refreshMillis, TimeUnit.MILLISECONDS);
    long sweepMillis = settings.ocspValidity().dividedBy(2).toMillis();
    scheduler.scheduleWithFixedDelay(
        ocsp::evictExpired, sweepMillis, sweepMillis, TimeUnit.MILLISECONDS);
    long checkMillis = OCSP_SIGNER_CHECK_PERIOD.toMillis();
    scheduler.scheduleWithFixedDelay(
        this::renewOcspSignerSafely, checkMillis, checkMillis, TimeUnit.MILLISECONDS);
    log.info(
        "PKI publication serving baseUrl={} crlValidity={} ocspValidity={}",
        urls.baseUrl(),
        settings.crlValidity(),
        settings.ocspValidity());
  }

  /** The current CRLs (for tests and the load harness). */
  public CrlPublisher crls() {
    return crls;
  }

  public OcspResponder ocsp() {
    return ocsp;
  }

  /**
   * Told after the revocation committed: cached OCSP answers go at once (on this thread, no I/O),
   * the CRL is re-signed on the scheduler thread.
   */
  @Override
  public void certificateStatusChanged(
      String certificateId, CertificateStatus from, CertificateStatus to) {
    if (to != CertificateStatus.REVOKED || crls == null) {
      return;
    }
    ocsp.certificateRevoked(certificateId);
    crls.revocationCommitted();
  }

  /**
   * Renews the delegated OCSP signing certificate when it is due (by the hub's clock), switches the
   * responder to it, re-signs the cached responses and reports it as an event. Called hourly by the
   * scheduler; public so tests on a moved clock need not wait an hour.
   *
   * @return the renewal, empty when none was due
   */
  public Optional<OcspSignerRenewal.Renewed> renewOcspSignerIfDue() {
    Optional<OcspSignerRenewal.Renewed> renewed = ocspSigners.renewIfDue();
    renewed.ifPresent(
        r -> {
          int resigned = ocsp.signerRenewed(r.renewed());
          log.info(
              "OCSP signing certificate renewed previousCertId={} certId={} notAfter={}"
                  + " resignedResponses={}",
              r.previousCertificateId(),
              r.renewedCertificateId(),
              r.renewed().responderCertificate().getNotAfter().toInstant(),
              resigned);
          events.publish(
              new HubEvent(
                  OCSP_SIGNER_RENEWED,
                  clock.instant(),
                  "hub",
                  r.renewedCertificateId(),
                  HubEvent.SUCCESS,
                  r.reason(),
                  Map.of(
                      "previousCertificateId", r.previousCertificateId(),
                      "notAfter",
                          r.renewed().responderCertificate().getNotAfter().toInstant().toString(),
                      "issuingCaId", CertificateIds.of(r.renewed().issuer()),
                      "resignedResponses", Integer.toString(resigned))));
        });
    return renewed;
  }

  private void renewOcspSignerSafely() {
    try {
      renewOcspSignerIfDue();
    } catch (RuntimeException e) {
      // The old certificate has weeks left; the next hourly check tries again.
      log.error("OCSP signing certificate renewal failed, retrying next hour reason={}", e, e);
      events.publish(
          new HubEvent(
              OCSP_SIGNER_RENEWED,
              clock.instant(),
              "hub",
              CertificateIds.of(ocspSigners.current().responderCertificate()),
              HubEvent.FAILURE,
              e.toString(),
              Map.of()));
    }
  }

  private void refreshCrls() {
    try {
      crls.regenerateAll();
    } catch (RuntimeException e) {
      log.error("scheduled CRL regeneration failed, retrying next time reason={}", e, e);
    }
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
    server.close();
  }
}
