package io.mamori.hub.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mamori.hub.events.HubEvent;
import io.mamori.hub.pki.CertificateAuthority;
import io.mamori.hub.pki.CertificateAuthorityFiles;
import io.mamori.hub.pki.CertificateIds;
import io.mamori.hub.registry.CaCertificateService;
import io.mamori.hub.registry.CertificateExpiry;
import io.mamori.hub.registry.CertificateRegistration;
import io.mamori.hub.registry.CertificateService;
import io.mamori.hub.registry.PolicyService;
import io.mamori.hub.registry.RegistryListener;
import io.mamori.hub.registry.ThingService;
import io.mamori.hub.registry.TrustedCas;
import io.mamori.hub.store.SqliteCaCertificateRepository;
import io.mamori.hub.store.SqliteCertificateRepository;
import io.mamori.hub.store.SqliteExpiryNotices;
import io.mamori.hub.store.SqlitePolicyRepository;
import io.mamori.hub.store.SqliteThingRepository;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A real admin API for tests: a real CA in {@code dataDir/pki}, the registry services over SQLite
 * in {@code dataDir}, the server on an ephemeral port, and an HTTPS client trusting the CA chain.
 */
public final class ApiTestHub implements AutoCloseable {
  public static final String TOKEN_FILE = "admin.token";

  public final Path dataDir;
  public final CertificateAuthority authority;
  public final ThingService things;
  public final CertificateService certificates;
  public final PolicyService policies;
  public final CaCertificateService caCertificates;
  public final String token;
  private final AutoCloseable database;
  public final AdminApiServer server;
  public final io.mamori.hub.groups.FleetMembership membership;
  public final List<String[]> testerCalls = new ArrayList<>();
  public final List<HubEvent> events = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final HttpClient http;
  private final ObjectMapper json = new ObjectMapper();

  public ApiTestHub(Path dataDir) throws Exception {
    this.dataDir = dataDir;
    this.authority =
        new CertificateAuthorityFiles(dataDir.resolve("pki"), Clock.systemUTC())
            .loadOrCreate(List.of());
    var services = TestRegistry.open(dataDir, authority, events::add);
    this.things = services.things();
    this.certificates = services.certificates();
    this.policies = services.policies();
    this.database = services.database();
    this.token = AdminToken.loadOrCreate(dataDir.resolve(TOKEN_FILE)).value();
    PolicyTester tester =
        (certificateId, action, resource, clientId) -> {
          certificates.get(certificateId);
          testerCalls.add(new String[] {certificateId, action, resource, clientId.orElse("")});
          return new PolicyTestResult(
              true,
              PolicyTestResult.ALLOW,
              Optional.of("p"),
              Optional.of(0),
              "arn:aws:iot:local:000000000000:" + resource,
              "statement 0 of policy p allows " + action);
        };
    this.server =
        new AdminApiServer(
            "127.0.0.1",
            0,
            authority.serverIdentity(),
            token,
            things,
            certificates,
            policies,
            authority,
            tester,
            new io.mamori.hub.shadow.OperatorShadows(
                new io.mamori.hub.shadow.ShadowService(
                    new io.mamori.hub.store.SqliteShadowRepository(services.database()),
                    new io.mamori.hub.store.SqliteThingRepository(services.database()),
                    services.database(),
                    events::add,
                    Clock.systemUTC()),
                (topic, payload) -> {}),
            services.batches(),
            events::add,
            Clock.systemUTC());
    var db = services.database();
    var groupRepository = new io.mamori.hub.store.SqliteThingGroupRepository(db);
    this.membership =
        new io.mamori.hub.groups.FleetMembership(
            groupRepository,
            new io.mamori.hub.store.SqliteThingRepository(db),
            io.mamori.hub.groups.ShadowValues.NONE);
    var groupService =
        new io.mamori.hub.groups.ThingGroupService(
            groupRepository,
            new io.mamori.hub.store.SqliteThingRepository(db),
            new io.mamori.hub.store.SqlitePolicyRepository(db),
            membership,
            db,
            events::add,
            new io.mamori.hub.registry.RegistryListener() {},
            Clock.systemUTC());
    server.withGroups(services.thingTypes(), groupService, membership);
    var jobService =
        new io.mamori.hub.jobs.Jobs(
                db,
                new SqliteThingRepository(db),
                new SqliteCertificateRepository(db),
                events::add,
                Clock.systemUTC())
            .start(membership, (topic, payload) -> {});
    server.withJobs(jobService);
    var webhookRepository = new io.mamori.hub.store.SqliteWebhookRepository(db);
    server
        .withWebhooks(
            new io.mamori.hub.webhooks.Webhooks(
                webhookRepository,
                new io.mamori.hub.webhooks.WebhookDispatcher(
                    webhookRepository,
                    io.mamori.hub.webhooks.RetryPolicy.DEFAULT,
                    Clock.systemUTC()),
                events::add,
                Clock.systemUTC()))
        .withMitigations(
            new io.mamori.hub.defender.mitigation.Mitigations(
                things,
                certificates,
                policies,
                groupService,
                membership,
                jobService,
                events::add,
                Clock.systemUTC()));
    var firmware =
        io.mamori.hub.firmware.Firmwares.open(
            dataDir,
            io.mamori.hub.pki.CodeSigningKey.loadOrCreate(
                dataDir.resolve("pki"),
                io.mamori.hub.pki.CaKeyProtection.defaultsFor(dataDir),
                Clock.systemUTC()),
            db,
            events::add,
            Clock.systemUTC());
    server.withFirmware(firmware.service(), firmware.urls(), events::add, Clock.systemUTC());
    var caRepository = new SqliteCaCertificateRepository(services.database());
    this.caCertificates =
        new CaCertificateService(
            caRepository,
            new TrustedCas(authority.chain(), caRepository),
            authority.chain().stream().map(CertificateIds::of).collect(Collectors.toSet()),
            services.database(),
            events::add,
            new RegistryListener() {},
            Clock.systemUTC());
    var registration =
        new CertificateRegistration(
            new SqliteCertificateRepository(services.database()),
            new SqliteThingRepository(services.database()),
            new SqlitePolicyRepository(services.database()),
            caCertificates,
            authority.issuingCertificate(),
            services.database(),
            events::add,
            new RegistryListener() {},
            Clock.systemUTC());
    var provisioning =
        new io.mamori.hub.provisioning.Provisioning(
            new io.mamori.hub.store.SqliteProvisioningTemplateRepository(db),
            new io.mamori.hub.store.SqliteGenuineIdentityRepository(db),
            new io.mamori.hub.store.SqliteBulkRegistrationRepository(db),
            db,
            events::add,
            Clock.systemUTC(),
            "local",
            "000000000000");
    provisioning.bind(
        new io.mamori.hub.identity.OwnershipTokens(
            new io.mamori.hub.store.SqliteOwnershipTokenRepository(db), db, Clock.systemUTC()),
        things,
        certificates,
        policies,
        groupService,
        authority,
        registration,
        java.time.Duration.ofDays(365));
    server.addCaCertificates(
        caCertificates,
        registration,
        new CertificateExpiry(
            new SqliteCertificateRepository(services.database()),
            caRepository,
            authority.chain(),
            new SqliteExpiryNotices(services.database()),
            events::add,
            Clock.systemUTC(),
            List.of(30, 7, 1)),
        provisioning.templates()::requireJitpTemplate);
    var configurationAudit =
        new io.mamori.hub.defender.ConfigurationAudit(
            policies::list,
            certificates::list,
            authority::chain,
            id -> Optional.of(certificates.get(id).status()),
            new io.mamori.hub.defender.ConnectionWatch(),
            true,
            Clock.systemUTC());
    var suppressions =
        new io.mamori.hub.defender.Suppressions(
            new io.mamori.hub.store.SqliteSuppressionRepository(services.database()),
            events::add,
            Clock.systemUTC());
    server
        .withProvisioningTemplates(provisioning.templates())
        .withGenuineIdentities(provisioning.genuine())
        .withBulkRegistration(provisioning.bulk())
        .withMetrics(new io.mamori.hub.metrics.MetricRegistry())
        .withAudit(new io.mamori.hub.audit.AuditReader(dataDir.resolve("audit")))
        .withConfigurationAudit(configurationAudit, suppressions, Clock.systemUTC())
        .withAuditSchedules(
            new io.mamori.hub.defender.AuditScheduler(
                configurationAudit,
                suppressions,
                new io.mamori.hub.store.SqliteAuditScheduleRepository(db),
                events::add,
                Clock.systemUTC()));
    var detectStore = new io.mamori.hub.store.SqliteDetectRepositories(services.database());
    server.withDetect(
        new io.mamori.hub.detect.SecurityProfiles(
            detectStore.profiles(), group -> false, events::add, Clock.systemUTC()),
        new io.mamori.hub.detect.Alarms(
            detectStore.alarms(),
            profile -> io.mamori.hub.detect.ProfileMitigations.NONE,
            change -> {},
            events::add,
            Clock.systemUTC()));
    server.start();
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .sslContext(trusting(dataDir.resolve("pki/ca-chain.pem")))
            .build();
  }

  public String url() {
    return "https://127.0.0.1:" + server.port();
  }

  public Path caChain() {
    return dataDir.resolve("pki/ca-chain.pem");
  }

  /** An answer: status, raw body, parsed JSON (missing node when empty). */
  public record Answer(int status, String body, JsonNode json, HttpResponse<String> raw) {}

  public Answer send(String method, String path, Optional<String> body, Optional<String> bearer)
      throws Exception {
    var request =
        HttpRequest.newBuilder(URI.create(url() + path))
            .method(
                method,
                body.map(HttpRequest.BodyPublishers::ofString)
                    .orElse(HttpRequest.BodyPublishers.noBody()));
    bearer.ifPresent(t -> request.header("Authorization", "Bearer " + t));
    body.ifPresent(b -> request.header("Content-Type", "application/json"));
    HttpResponse<String> response =
        http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    JsonNode node =
        response.body().isEmpty()
            ? com.fasterxml.jackson.databind.node.MissingNode.getInstance()
            : json.readTree(response.body());
    return new Answer(response.statusCode(), response.body(), node, response);
  }

  public Answer get(String path) throws Exception {
    return send("GET", path, Optional.empty(), Optional.of(token));
  }

  public Answer post(String path, String body) throws Exception {
    return send("POST", path, Optional.of(body), Optional.of(token));
  }

  public Answer put(String path, String body) throws Exception {
    return send("PUT", path, Optional.of(body), Optional.of(token));
  }

  public Answer delete(String path) throws Exception {
    return send("DELETE", path, Optional.empty(), Optional.of(token));
  }

  static SSLContext trusting(Path pem) throws Exception {
    KeyStore anchors = KeyStore.getInstance("PKCS12");
    anchors.load(null, null);
    try (InputStream in = Files.newInputStream(pem)) {
      int i = 0;
      for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        anchors.setCertificateEntry("ca" + i++, c);
      }
    }
    TrustManagerFactory trust =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(anchors);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, trust.getTrustManagers(), null);
    return context;
  }

  @Override
  public void close() throws Exception {
    server.close();
    membership.close();
    database.close();
  }
}
