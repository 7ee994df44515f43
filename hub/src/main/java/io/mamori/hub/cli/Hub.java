package io.mamori.hub.cli;

import io.mamori.hub.access.DeviceAccess;
import io.mamori.hub.access.RegisteredIssuers;
import io.mamori.hub.api.AdminApiServer;
import io.mamori.hub.api.AdminToken;
import io.mamori.hub.audit.AuditSettings;
import io.mamori.hub.audit.AuditTrail;
import io.mamori.hub.config.HubConfig;
import io.mamori.hub.defender.AuditScheduler;
import io.mamori.hub.defender.mitigation.AlarmMitigator;
import io.mamori.hub.defender.mitigation.Mitigations;
import io.mamori.hub.events.EventBus;
import io.mamori.hub.events.EventLog;
import io.mamori.hub.groups.FleetMembership;
import io.mamori.hub.groups.ThingGroupService;
import io.mamori.hub.groups.ThingTypeService;
import io.mamori.hub.identity.CertificateApiHandler;
import io.mamori.hub.identity.CertificateCreator;
import io.mamori.hub.identity.OwnershipTokens;
import io.mamori.hub.identity.PendingRotations;
import io.mamori.hub.identity.RotationCompleter;
import io.mamori.hub.lifecycle.LifecycleEvents;
import io.mamori.hub.metrics.EventMetrics;
import io.mamori.hub.metrics.MetricRegistry;
import io.mamori.hub.metrics.MqttTrafficMetrics;
import io.mamori.hub.mqtt.MqttBroker;
import io.mamori.hub.mqtt.MqttBrokerSettings;
import io.mamori.hub.pki.CertificateAuthority;
import io.mamori.hub.pki.CertificateAuthorityFiles;
import io.mamori.hub.pki.CertificateIds;
import io.mamori.hub.pki.DeviceTrustManager;
import io.mamori.hub.pki.SignatureProvider;
import io.mamori.hub.policy.PolicyEvaluator;
import io.mamori.hub.registry.BatchIssuance;
import io.mamori.hub.registry.CaCertificateService;
import io.mamori.hub.registry.CertificateExpiry;
import io.mamori.hub.registry.CertificateRegistration;
import io.mamori.hub.registry.CertificateService;
import io.mamori.hub.registry.ExpiryWatch;
import io.mamori.hub.registry.PolicyService;
import io.mamori.hub.registry.RegistryListener;
import io.mamori.hub.registry.RegistryListeners;
import io.mamori.hub.registry.ThingService;
import io.mamori.hub.registry.TrustedCas;
import io.mamori.hub.revocation.PkiPublication;
import io.mamori.hub.shadow.OperatorShadows;
import io.mamori.hub.shadow.ShadowKey;
import io.mamori.hub.shadow.ShadowService;
import io.mamori.hub.shadow.ShadowTopicHandler;
import io.mamori.hub.store.SqliteAuditScheduleRepository;
import io.mamori.hub.store.SqliteCaCertificateRepository;
import io.mamori.hub.store.SqliteCertificateBatchRepository;
import io.mamori.hub.store.SqliteCertificateRepository;
import io.mamori.hub.store.SqliteCrlNumbers;
import io.mamori.hub.store.SqliteDatabase;
import io.mamori.hub.store.SqliteExpiryNotices;
import io.mamori.hub.store.SqliteOwnershipTokenRepository;
import io.mamori.hub.store.SqlitePolicyRepository;
import io.mamori.hub.store.SqliteRetainedMessageStore;
import io.mamori.hub.store.SqliteRotationRepository;
import io.mamori.hub.store.SqliteSessionStore;
import io.mamori.hub.store.SqliteShadowRepository;
import io.mamori.hub.store.SqliteThingGroupRepository;
import io.mamori.hub.store.SqliteThingRepository;
import io.mamori.hub.store.SqliteThingTypeRepository;
import io.mamori.hub.store.SqliteWebhookRepository;
import io.mamori.hub.webhooks.RetryPolicy;
import io.mamori.hub.webhooks.WebhookDispatcher;
import io.mamori.hub.webhooks.Webhooks;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: builds every part of the hub from one {@link HubConfig}, wires them by
 * constructor, starts them, and stops them in reverse order. The only place that knows them all.
 */
public final class Hub implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Hub.class);

  private final HubConfig config;
  private final SqliteDatabase database;
  private final ThreadPoolExecutor worker;
  private final MqttBroker broker;
  private final AdminApiServer api;
  private final EventBus events;
  private final EventLog eventLog;
  private final DataDirectoryLock lock;
  private final FleetMembership membership;
  private final PkiPublication publication;
  private final RotationCompleter rotationCompleter;
  private final AtomicBoolean closed = new AtomicBoolean();
  // Set once right after start; read by close(), which may run on a shutdown-hook thread.
  private volatile ExpiryWatch expiryWatch;
  private volatile io.mamori.hub.jobs.Jobs jobs; // set once right after start, like expiryWatch
  private volatile AuditTrail audit;
  private volatile io.mamori.hub.provisioning.Provisioning provisioning; // set once after start
  private volatile io.mamori.hub.detect.Detect detect; // set once right after start
  private volatile io.mamori.hub.operations.FactoryResetCompletion factoryReset; // like jobs
  private volatile WebhookDispatcher webhooks; // set once right after start, like expiryWatch
  private volatile AlarmMitigator alarmMitigator;
  private volatile AuditScheduler auditScheduler;

  private Hub(
      HubConfig config,
      SqliteDatabase database,
      ThreadPoolExecutor worker,
      MqttBroker broker,
      AdminApiServer api,
      EventBus events,
      EventLog eventLog,
      DataDirectoryLock lock,
      FleetMembership membership,
      PkiPublication publication,
      RotationCompleter rotationCompleter) {
    this.rotationCompleter = rotationCompleter;
    this.membership = membership;
    this.publication = publication;
    this.config = config;
    this.database = database;
    this.worker = worker;
    this.broker = broker;
    this.api = api;
    this.events = events;
    this.eventLog = eventLog;
    this.lock = lock;
  }

  /** Creates what is missing in the data directory, then starts broker and admin API. */
  public static Hub start(HubConfig config) {
    return start(config, AuditSettings.defaults());
  }

  /** As {@link #start(HubConfig)}, with the audit log kept as {@code auditSettings} say. */
  public static Hub start(HubConfig config, AuditSettings auditSettings) {
    return start(config, auditSettings, io.mamori.hub.detect.DetectSettings.defaults());
  }

  /** As {@link #start(HubConfig, AuditSettings)}, with Detect evaluating as {@code detect} says. */
  public static Hub start(
      HubConfig config,
      AuditSettings auditSettings,
      io.mamori.hub.detect.DetectSettings detectSettings) {
    return start(config, auditSettings, detectSettings, Clock.systemUTC());
  }

  /**
   * As above on {@code clock}: tests move a hub's time forward (rollout windows, timeouts) instead
   * of waiting for it.
   */
  public static Hub start(
      HubConfig config,
      AuditSettings auditSettings,
      io.mamori.hub.detect.DetectSettings detectSettings,
      Clock clock) {
    long started = System.nanoTime();
    createPrivateDirectory(config);
    DataDirectoryLock lock = DataDirectoryLock.acquire(config.dataDir());
    CertificateAuthority authority;
    io.mamori.hub.pki.CodeSigningKey codeSigning;
    SqliteDatabase database;
    PkiPublication publication = null;
    try {
      // Bound first: certificates carry its URL, which needs the port actually bound.
      publication = PkiPublication.bind(config.pkiPublication(), config.hostnames());
      var keyProtection = CaKeys.protection(config);
      authority =
          new CertificateAuthorityFiles(
                  config.pkiDir(), clock, keyProtection, Optional.of(publication.urls()))
              .loadOrCreate(config.hostnames());
      // Firmware is signed with a key of its own, never a CA key.
      codeSigning =
          io.mamori.hub.pki.CodeSigningKey.loadOrCreate(config.pkiDir(), keyProtection, clock);
      database = SqliteDatabase.open(config.databaseFile());
    } catch (RuntimeException e) {
      if (publication != null) {
        publication.close();
      }
      lock.close();
      throw e;
    }
    ThreadPoolExecutor worker = newWorkerPool();
    EventLog eventLog = new EventLog();
    MqttBroker broker = null;
    AuditTrail audit = null;
    FleetMembership membership = null;
    io.mamori.hub.jobs.Jobs jobs = null;
    io.mamori.hub.operations.FactoryResetCompletion factoryReset = null;
    RotationCompleter rotationCompleter = null;
    io.mamori.hub.detect.Detect detect = null;
    WebhookDispatcher webhooks = null;
    AlarmMitigator alarmMitigator = null;
    AuditScheduler auditScheduler = null;
    try {
      EventBus events = new EventBus();
      events.subscribe(eventLog);
      MetricRegistry metrics = new MetricRegistry();
      if (auditSettings.enabled()) {
        audit = AuditTrail.start(config.dataDir(), auditSettings, clock, metrics);
        events.subscribe(audit);
      } else {
        log.warn("audit log disabled: hub events are not recorded in a tamper-evident log");
      }
      events.subscribe(new EventMetrics(metrics));
      var connectionWatch = new io.mamori.hub.defender.ConnectionWatch();
      events.subscribe(connectionWatch);
      metrics.counter(
          "mamori_event_log_dropped_total",
          "Event log lines dropped because its queue was full.",
          eventLog::droppedTotal);
      // Alarms, findings and chosen events to webhooks, from a persistent outbox on its own thread.
      var webhookRepository = new SqliteWebhookRepository(database);
      webhooks = new WebhookDispatcher(webhookRepository, RetryPolicy.DEFAULT, clock).start();
      events.subscribe(webhooks);
      metrics.counter(
          "mamori_webhook_events_dropped_total",
          "Events not queued for webhooks because the queue was full.",
          webhooks::droppedTotal);
      var things = new SqliteThingRepository(database);
      var certificates = new SqliteCertificateRepository(database);
      var policies = new SqlitePolicyRepository(database);
      var thingGroups = new SqliteThingGroupRepository(database);
      var caCertificates = new SqliteCaCertificateRepository(database);
      // Detect evaluates groups through FleetMembership, built after the broker it feeds.
      var groupsForDetect = new java.util.concurrent.atomic.AtomicReference<FleetMembership>();
      var detectStore = new io.mamori.hub.store.SqliteDetectRepositories(database);
      detect =
          new io.mamori.hub.detect.Detect(
              detectStore.profiles(),
              detectStore.alarms(),
              detectStore.reports(),
              () ->
                  things.list().stream()
                      .collect(
                          Collectors.toMap(
                              io.mamori.hub.registry.Thing::name,
                              io.mamori.hub.registry.Thing::createdAt)),
              group -> groupsForDetect.get().thingsIn(group, true),
              group -> thingGroups.find(group).isPresent(),
              events,
              metrics,
              detectSettings,
              clock);
      var hubCaIds = authority.chain().stream().map(CertificateIds::of).collect(Collectors.toSet());
      var provisioning =
          new io.mamori.hub.provisioning.Provisioning(
              new io.mamori.hub.store.SqliteProvisioningTemplateRepository(database),
              new io.mamori.hub.store.SqliteGenuineIdentityRepository(database),
              new io.mamori.hub.store.SqliteBulkRegistrationRepository(database),
              database,
              events,
              clock,
              config.region(),
              config.accountId());
      var access =
          new DeviceAccess(
              certificates,
              things,
              policies,
              thingGroups::policiesOfThing,
              new PolicyEvaluator(config.region(), config.accountId()),
              worker,
              clock,
              new RegisteredIssuers(hubCaIds, caCertificates),
              provisioning.unregisteredCertificates());
      jobs = new io.mamori.hub.jobs.Jobs(database, things, certificates, events, clock);
      var shadows =
          new ShadowService(new SqliteShadowRepository(database), things, database, events, clock);
      // Reference §1.1 certificate API; rotation when the caller's certificate has a thing.
      var rotations = new SqliteRotationRepository(database);
      var ownershipTokens =
          new OwnershipTokens(
              new SqliteOwnershipTokenRepository(database),
              database,
              clock,
              new io.mamori.hub.identity.UnclaimedCertificates(
                  certificates, policies, events, clock));
      var pendingRotations = new PendingRotations();
      var certificateApi =
          new CertificateApiHandler(
              new CertificateCreator(
                  certificates,
                  policies,
                  authority,
                  ownershipTokens,
                  rotations,
                  database,
                  events,
                  pendingRotations::add,
                  Duration.ofDays(config.deviceCertificateDays()),
                  config.rotationGrace(),
                  clock),
              events,
              clock);
      // Devices must chain to the hub's CA or to an ACTIVE registered manufacturer's CA.
      var trustedCas = new TrustedCas(authority.chain(), caCertificates);
      // ... or be a certificate registered without its CA, matched exactly.
      var withoutCa = new io.mamori.hub.registry.CertificatesWithoutCa(certificates);
      var deviceTrust =
          new DeviceTrustManager(
              trustedCas, clock, withoutCa, SignatureProvider.registeredForVerification());
      broker =
          new MqttBroker(
              new MqttBrokerSettings(config.mqttHost(), config.mqttPort(), config.limits()),
              authority.serverIdentity(),
              deviceTrust,
              access.authenticator(),
              new SqliteSessionStore(database),
              new SqliteRetainedMessageStore(database),
              events,
              List.of(
                  new ShadowTopicHandler(shadows),
                  certificateApi,
                  provisioning.handler(),
                  jobs.topicHandler(),
                  detect.deviceMetricsHandler()),
              clock,
              worker,
              io.mamori.hub.mqtt.TrafficMeter.both(
                  new MqttTrafficMetrics(metrics), detect.trafficMeter()));
      MqttBroker connected = broker;
      metrics.gauge(
          "mamori_mqtt_connections", "Live MQTT connections.", connected::connectionCount);
      // AWS §7.6 lifecycle events at QoS 0; MqttBroker.publish only routes (never blocks), so this
      // subscriber is safe on the Netty loop that reported the event. Each delivery still needs
      // iot:Receive on the $aws/events/... topic.
      MqttBroker lifecycleBroker = broker;
      events.subscribe(
          new LifecycleEvents(
              (topic, payload) -> lifecycleBroker.publish(topic, payload, 0, false),
              lifecycleBroker::hasSubscribers));
      MqttBroker shadowBroker = broker;
      publication.start(authority, certificates, new SqliteCrlNumbers(database), clock, events);
      // Registry changes reach the broker (cut connections) and the CRL / OCSP publisher.
      RegistryListener enforcer =
          new RegistryListeners(
              List.of(access.enforcer(broker::disconnectPrincipal), publication, withoutCa));
      // Dynamic groups read shadow.reported.* from the classic shadow.
      membership =
          new FleetMembership(
              thingGroups,
              things,
              (thing, path) -> shadows.reportedValue(ShadowKey.classic(thing), path));
      events.subscribe(membership);
      groupsForDetect.set(membership);
      MqttBroker jobsBroker = broker;
      var firmware =
          io.mamori.hub.firmware.Firmwares.open(
              config.dataDir(), codeSigning, database, events, clock);
      var jobService =
          jobs.start(
              membership,
              (t, p) -> jobsBroker.publish(t, p, 1, false),
              firmware.deliveredDocuments());
      var thingTypeService =
          new ThingTypeService(new SqliteThingTypeRepository(database), database, events, clock);
      var thingService =
          new ThingService(
              things, certificates, database, events, enforcer, clock, thingTypeService);
      var groupService =
          new ThingGroupService(
              thingGroups, things, policies, membership, database, events, enforcer, clock);
      events.subscribe(groupService);
      var certificateService =
          new CertificateService(
              certificates,
              things,
              policies,
              authority,
              config.deviceCertificateDays(),
              database,
              events,
              enforcer,
              clock);
      rotationCompleter =
          new RotationCompleter(
              rotations,
              certificates,
              certificateService,
              ownershipTokens,
              pendingRotations,
              database,
              events,
              config.rotationGrace(),
              clock);
      events.subscribe(rotationCompleter);
      rotationCompleter.start();
      factoryReset =
          new io.mamori.hub.operations.FactoryResetCompletion(
              jobService, thingService, certificateService, events, clock);
      events.subscribe(factoryReset);
      factoryReset.catchUp();
      var policyService =
          new PolicyService(policies, certificates, database, events, enforcer, clock);
      var caService =
          new CaCertificateService(
              caCertificates, trustedCas, hubCaIds, database, events, enforcer, clock);
      var registration =
          new CertificateRegistration(
              certificates,
              things,
              policies,
              caService,
              authority.issuingCertificate(),
              database,
              events,
              enforcer,
              clock);
      provisioning.bind(
          ownershipTokens,
          thingService,
          certificateService,
          policyService,
          groupService,
          authority,
          registration,
          Duration.ofDays(config.deviceCertificateDays()));
      // Reference §2.2/§2.3: JITP and JITR on first connect; the registration event goes out on
      // $aws/events/certificates/registered/<caId> at QoS 1 (MqttBroker.publish only routes).
      MqttBroker registrationBroker = broker;
      provisioning.bindJustInTime(
          caService,
          registration,
          certificateService,
          policyService,
          (topic, payload) -> registrationBroker.publish(topic, payload, 1, false),
          worker,
          io.mamori.hub.provisioning.PreProvisioningHook.TIMEOUT);
      var expiry =
          new CertificateExpiry(
              certificates,
              caCertificates,
              authority.chain(),
              new SqliteExpiryNotices(database),
              events,
              clock,
              List.of(30, 7, 1));
      var api =
          new AdminApiServer(
              config.apiHost(),
              config.apiPort(),
              authority.serverIdentity(),
              AdminToken.loadOrCreate(config.adminTokenFile()).value(),
              thingService,
              certificateService,
              policyService,
              authority,
              access.tester(),
              new OperatorShadows(
                  shadows, (topic, payload) -> shadowBroker.publish(topic, payload, 1, false)),
              new BatchIssuance(
                  certificates,
                  things,
                  policies,
                  new SqliteCertificateBatchRepository(database),
                  authority,
                  config.deviceCertificateDays(),
                  database,
                  events,
                  enforcer,
                  clock),
              events,
              clock);
      api.withGroups(thingTypeService, groupService, membership);
      membership.start();
      api.addCaCertificates(
          caService, registration, expiry, provisioning.templates()::requireJitpTemplate);
      api.withMetrics(metrics);
      api.withProvisioningTemplates(provisioning.templates());
      api.withGenuineIdentities(provisioning.genuine());
      api.withBulkRegistration(provisioning.bulk());
      api.withJobs(jobService);
      api.withFirmware(firmware.service(), firmware.urls(), events, clock);
      var configurationAudit =
          new io.mamori.hub.defender.ConfigurationAudit(
              policyService::list,
              certificateService::list,
              authority::chain,
              id -> {
                try {
                  return java.util.Optional.of(certificateService.get(id).status());
                } catch (io.mamori.hub.registry.RegistryException e) {
                  return java.util.Optional.empty();
                }
              },
              connectionWatch,
              auditSettings.enabled(),
              clock);
      var suppressions =
          new io.mamori.hub.defender.Suppressions(
              new io.mamori.hub.store.SqliteSuppressionRepository(database), events, clock);
      api.withConfigurationAudit(configurationAudit, suppressions, clock);
      auditScheduler =
          new AuditScheduler(
              configurationAudit,
              suppressions,
              new SqliteAuditScheduleRepository(database),
              events,
              clock);
      var mitigations =
          new Mitigations(
              thingService,
              certificateService,
              policyService,
              groupService,
              membership,
              jobService,
              events,
              clock);
      alarmMitigator = new AlarmMitigator(mitigations, events, clock);
      events.subscribe(alarmMitigator);
      api.withWebhooks(new Webhooks(webhookRepository, webhooks, events, clock))
          .withMitigations(mitigations)
          .withAuditSchedules(auditScheduler);
      api.withDetect(detect.profiles(), detect.alarms());
      if (audit != null) {
        api.withAudit(audit.reader());
      }
      broker.start();
      try {
        api.start();
      } catch (RuntimeException e) {
        broker.close();
        throw e;
      }
      firmware.apiStarted(api.url());
      Hub hub =
          new Hub(
              config,
              database,
              worker,
              broker,
              api,
              events,
              eventLog,
              lock,
              membership,
              publication,
              rotationCompleter);
      hub.expiryWatch = new ExpiryWatch(expiry, ExpiryWatch.HOURLY).start();
      hub.audit = audit;
      hub.webhooks = webhooks;
      hub.alarmMitigator = alarmMitigator;
      hub.auditScheduler = auditScheduler.start();
      hub.jobs = jobs;
      hub.provisioning = provisioning;
      hub.detect = detect.start();
      hub.factoryReset = factoryReset;
      new HubEndpoint(config.mqttHost(), broker.port(), api.url()).write(config.endpointFile());
      log.info(
          "hub started mqttPort={} apiUrl={} pkiUrl={} startupMillis={}",
          broker.port(),
          api.url(),
          publication.urls().baseUrl(),
          (System.nanoTime() - started) / 1_000_000);
      return hub;
    } catch (RuntimeException e) {
      publication.close();
      if (rotationCompleter != null) {
        rotationCompleter.close();
      }
      if (membership != null) {
        membership.close();
      }
      if (jobs != null) {
        jobs.close();
      }
      if (detect != null) {
        detect.close();
      }
      if (factoryReset != null) {
        factoryReset.close();
      }
      worker.shutdownNow();
      if (auditScheduler != null) {
        auditScheduler.close();
      }
      if (alarmMitigator != null) {
        alarmMitigator.close();
      }
      if (webhooks != null) {
        webhooks.close();
      }
      if (audit != null) {
        audit.close();
      }
      eventLog.close();
      database.close();
      lock.close();
      throw e;
    }
  }

  public HubConfig config() {
    return config;
  }

  public int mqttPort() {
    return broker.port();
  }

  public int apiPort() {
    return api.port();
  }

  public String apiUrl() {
    return api.url();
  }

  /** CRLs and OCSP over plain HTTP. */
  public PkiPublication pkiPublication() {
    return publication;
  }

  /** Every event the hub emits; later the audit log, defender and webhooks subscribe here. */
  public EventBus events() {
    return events;
  }

  /** Who is in which thing group, and membership changes (for jobs that target groups). */
  public io.mamori.hub.groups.ThingGroups thingGroups() {
    return membership;
  }

  /** Live MQTT connections (accepted CONNECTs). */
  public int connectedClients() {
    return broker.connectionCount();
  }

  /** Graceful stop: API first, then the broker flushes sessions, then the database closes. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      Files.deleteIfExists(config.endpointFile());
    } catch (IOException e) {
      log.warn("cannot remove endpoint file reason={}", e.toString());
    }
    if (expiryWatch != null) {
      expiryWatch.close();
    }
    if (auditScheduler != null) {
      auditScheduler.close();
    }
    api.close();
    publication.close();
    if (detect != null) {
      detect.close();
    }
    broker.close();
    membership.close();
    if (jobs != null) {
      jobs.close();
    }
    if (factoryReset != null) {
      factoryReset.close();
    }
    rotationCompleter.close();
    if (provisioning != null) {
      provisioning.close();
    }
    worker.shutdown();
    try {
      if (!worker.awaitTermination(5, TimeUnit.SECONDS)) {
        worker.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (alarmMitigator != null) {
      alarmMitigator.close();
    }
    // After the broker: the last events it reported still reach the outbox.
    if (webhooks != null) {
      webhooks.close();
    }
    eventLog.close();
    if (audit != null) {
      audit.close();
    }
    database.close();
    lock.close();
    log.info("hub stopped");
  }

  /**
   * Blocking work (database, signing, hooks) runs here, never on a Netty event loop. Bounded: when
   * it is full the broker answers "server unavailable" rather than queueing without end.
   */
  private static ThreadPoolExecutor newWorkerPool() {
    AtomicInteger count = new AtomicInteger();
    int threads = Math.max(4, Runtime.getRuntime().availableProcessors() * 2);
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            threads,
            threads,
            60,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(10_000),
            r -> {
              Thread t = new Thread(r, "mamori-worker-" + count.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }

  private static void createPrivateDirectory(HubConfig config) {
    try {
      if (!Files.isDirectory(config.dataDir())) {
        Files.createDirectories(
            config.dataDir(),
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create data directory " + config.dataDir(), e);
    }
  }
}
