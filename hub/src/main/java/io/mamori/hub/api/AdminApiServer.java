package io.mamori.hub.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import io.mamori.hub.events.EventPublisher;
import io.mamori.hub.pki.CertificateAuthority;
import io.mamori.hub.pki.TlsIdentity;
import io.mamori.hub.registry.BatchIssuance;
import io.mamori.hub.registry.CaCertificateService;
import io.mamori.hub.registry.CertificateExpiry;
import io.mamori.hub.registry.CertificateRegistration;
import io.mamori.hub.registry.CertificateService;
import io.mamori.hub.registry.PolicyService;
import io.mamori.hub.registry.ThingService;
import io.mamori.hub.shadow.OperatorShadows;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin REST API: HTTPS with the hub's TLS identity, a bearer token on every route but health,
 * JSON in and out, and calls straight into the registry services.
 *
 * <p>Built on the JDK's {@code HttpsServer}: the API is low-traffic and operator-facing, so a small
 * bounded thread pool (whose threads may block on the database) is enough, and it keeps Netty's
 * event loops for the broker alone.
 */
public final class AdminApiServer implements AutoCloseable {
  /** The actor recorded in events for every change made through this API. */
  static final String ACTOR = "admin";

  private static final Logger log = LoggerFactory.getLogger(AdminApiServer.class);
  private static final int THREADS = 4;
  private static final int QUEUE = 64;
  private static final int STOP_GRACE_SECONDS = 1;

  private final String host;
  private final int requestedPort;
  private final SSLContext tls;
  private final Router router = new Router();
  private final ApiExchangeHandler handler;
  private final Representations views;
  private HttpsServer server;
  private ThreadPoolExecutor executor;

  /**
   * Every refused token becomes an {@code api.authentication} event (denied, actor the client's
   * address) on {@code events}.
   *
   * @param host address to bind, e.g. {@code 127.0.0.1}
   * @param port port to bind; 0 picks a free one (see {@link #port()})
   * @param identity the hub's TLS server key and chain
   * @param adminToken the bearer token every authenticated route requires
   * @param tester answers {@code POST /api/v1/authorization/test}
   * @param shadows device shadows for operators
   * @param events where refused tokens are reported
   * @param clock the time stamp of those events
   */
  public AdminApiServer(
      String host,
      int port,
      TlsIdentity identity,
      String adminToken,
      ThingService things,
      CertificateService certificates,
      PolicyService policies,
      CertificateAuthority authority,
      PolicyTester tester,
      OperatorShadows shadows,
      BatchIssuance batches,
      EventPublisher events,
      Clock clock) {
    if (adminToken.isBlank()) {
      throw new IllegalArgumentException("the admin token must not be blank");
    }
    this.host = host;
    this.requestedPort = port;
    this.tls = ServerTls.context(identity);
    ObjectMapper json = new ObjectMapper().disable(SerializationFeature.INDENT_OUTPUT);
    this.views = new Representations(json);
    new SystemRoutes(authority, views, json).register(router);
    new ThingRoutes(things, certificates, views).register(router);
    new PolicyRoutes(policies, tester, views).register(router);
    new CertificateRoutes(certificates, policies, views).register(router);
    new ShadowRoutes(shadows, json).register(router);
    new BatchRoutes(batches, authority, views).register(router);
    this.handler = new ApiExchangeHandler(router, adminToken, json, views, events, clock);
  }

  /**
   * Adds the device-management routes: thing types and thing groups. Call before {@link #start}.
   */
  public AdminApiServer withGroups(
      io.mamori.hub.groups.ThingTypeService types,
      io.mamori.hub.groups.ThingGroupService groups,
      io.mamori.hub.groups.FleetMembership membership) {
    new ThingTypeRoutes(types, views).register(router);
    new ThingGroupRoutes(groups, membership, views).register(router);
    return this;
  }

  /**
   * Adds the manufacturers' CA routes ({@code /api/v1/ca-certificates}, certificate registration
   * and the expiry report); call before {@link #start()}.
   */
  public synchronized AdminApiServer addCaCertificates(
      CaCertificateService cas,
      CertificateRegistration registration,
      CertificateExpiry expiry,
      java.util.function.Consumer<io.mamori.hub.registry.RegistrationConfig> templateCheck) {
    if (server != null) {
      throw new IllegalStateException("routes must be added before start");
    }
    new CaCertificateRoutes(cas, registration, expiry, views, templateCheck).register(router);
    return this;
  }

  /** Adds {@code GET /api/v1/audit/events}, reading the log in {@code reader}; before start. */
  public AdminApiServer withAudit(io.mamori.hub.audit.AuditReader reader) {
    new AuditRoutes(reader, views).register(router);
    return this;
  }

  /** Adds {@code /api/v1/provisioning-templates}; before start. */
  public AdminApiServer withProvisioningTemplates(
      io.mamori.hub.provisioning.ProvisioningTemplateService templates) {
    new ProvisioningTemplateRoutes(templates, views).register(router);
    return this;
  }

  /** Adds {@code /api/v1/genuine-identities}; before start. */
  public AdminApiServer withGenuineIdentities(io.mamori.hub.genuine.GenuineIdentities genuine) {
    new GenuineIdentityRoutes(genuine, views).register(router);
    return this;
  }

  /** Adds {@code POST /api/v1/provisioning-templates/{name}/bulk}; before start. */
  public AdminApiServer withBulkRegistration(io.mamori.hub.provisioning.BulkRegistration bulk) {
    new BulkRegistrationRoutes(bulk, views).register(router);
    return this;
  }

  /** Adds {@code /api/v1/jobs}; before start. */
  public AdminApiServer withJobs(io.mamori.hub.jobs.JobService jobs) {
    new JobRoutes(jobs, views).register(router);
    return this;
  }

  /** Adds {@code /api/v1/firmware} (upload, list, signing certificate, downloads); before start. */
  public AdminApiServer withFirmware(
      io.mamori.hub.firmware.FirmwareService firmware,
      io.mamori.hub.firmware.DownloadUrls urls,
      io.mamori.hub.events.EventPublisher events,
      Clock clock) {
    new FirmwareRoutes(firmware, urls, views, events, clock).register(router);
    return this;
  }

  /** Adds {@code GET /metrics} (Prometheus text format); before start. */
  public AdminApiServer withMetrics(io.mamori.hub.metrics.MetricRegistry metrics) {
    new MetricsRoutes(metrics).register(router);
    return this;
  }

  /** Adds {@code GET /api/v1/defender/audit/findings}; before start. */
  public AdminApiServer withConfigurationAudit(
      io.mamori.hub.defender.ConfigurationAudit audit,
      io.mamori.hub.defender.Suppressions suppressions,
      Clock clock) {
    new DefenderRoutes(audit, suppressions, views, clock).register(router);
    return this;
  }

  /**
   * Adds Detect: {@code /api/v1/defender/security-profiles} and {@code .../alarms}; before start.
   */
  public AdminApiServer withDetect(
      io.mamori.hub.detect.SecurityProfiles profiles, io.mamori.hub.detect.Alarms alarms) {
    new DetectRoutes(profiles, alarms, views).register(router);
    return this;
  }

  /** Adds {@code /api/v1/webhooks}; before start. */
  public AdminApiServer withWebhooks(io.mamori.hub.webhooks.Webhooks webhooks) {
    new WebhookRoutes(webhooks, views).register(router);
    return this;
  }

  /** Adds {@code POST /api/v1/defender/mitigations}; before start. */
  public AdminApiServer withMitigations(io.mamori.hub.defender.mitigation.Mitigations mitigations) {
    new MitigationRoutes(mitigations, views).register(router);
    return this;
  }

  /** Adds {@code /api/v1/defender/audit/schedules}; before start. */
  public AdminApiServer withAuditSchedules(io.mamori.hub.defender.AuditScheduler scheduler) {
    new AuditScheduleRoutes(scheduler, views).register(router);
    return this;
  }

  /** Every route as {@code METHOD /template} (the OpenAPI document is tested against this). */
  List<String> routes() {
    return router.describe();
  }

  /** Binds and starts serving; throws {@link UncheckedIOException} when the port is taken. */
  public synchronized void start() {
    if (server != null) {
      throw new IllegalStateException("already started");
    }
    try {
      HttpsServer https = HttpsServer.create(new InetSocketAddress(host, requestedPort), 0);
      https.setHttpsConfigurator(
          new HttpsConfigurator(tls) {
            @Override
            public void configure(HttpsParameters parameters) {
              SSLParameters ssl = tls.getDefaultSSLParameters();
              ssl.setProtocols(ServerTls.PROTOCOLS);
              ssl.setNeedClientAuth(false);
              parameters.setSSLParameters(ssl);
            }
          });
      https.createContext("/", handler);
      executor = boundedExecutor();
      https.setExecutor(executor);
      https.start();
      server = https;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot listen for the admin API on " + host + ":" + requestedPort, e);
    }
    log.info("admin api listening url={}", url());
  }

  /** The port actually bound (the ephemeral one when 0 was asked for). */
  public synchronized int port() {
    if (server == null) {
      throw new IllegalStateException("not started");
    }
    return server.getAddress().getPort();
  }

  /**
   * The URL clients use: a wildcard bind address is given as 127.0.0.1, which the hub's TLS
   * certificate always names.
   */
  public String url() {
    String address = host;
    if (address.equals("0.0.0.0") || address.equals("::") || address.equals("0:0:0:0:0:0:0:0")) {
      address = "127.0.0.1";
    }
    if (address.contains(":")) {
      address = "[" + address + "]";
    }
    return "https://" + address + ":" + port();
  }

  /** Stops accepting, lets running requests finish for a moment, and frees the threads. */
  @Override
  public synchronized void close() {
    if (server == null) {
      return;
    }
    server.stop(STOP_GRACE_SECONDS);
    executor.shutdown();
    server = null;
    log.info("admin api stopped");
  }

  /**
   * A fixed pool with a bounded queue; when both are full the dispatcher thread runs the request
   * itself, which stops it accepting more: back-pressure instead of unbounded memory.
   */
  private static ThreadPoolExecutor boundedExecutor() {
    AtomicInteger count = new AtomicInteger();
    ThreadFactory threads =
        task -> {
          Thread thread = new Thread(task, "mamori-api-" + count.incrementAndGet());
          thread.setDaemon(true);
          return thread;
        };
    return new ThreadPoolExecutor(
        THREADS,
        THREADS,
        60,
        TimeUnit.SECONDS,
        new ArrayBlockingQueue<>(QUEUE),
        threads,
        new ThreadPoolExecutor.CallerRunsPolicy());
  }
}
