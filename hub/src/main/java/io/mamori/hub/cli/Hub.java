package io.mamori.hub.cli;

import io.mamori.hub.access.DeviceAccess;
import io.mamori.hub.api.AdminApiServer;
import io.mamori.hub.api.AdminToken;
import io.mamori.hub.config.HubConfig;
import io.mamori.hub.events.EventBus;
import io.mamori.hub.events.EventLog;
import io.mamori.hub.lifecycle.LifecycleEvents;
import io.mamori.hub.mqtt.MqttBroker;
import io.mamori.hub.mqtt.MqttBrokerSettings;
import io.mamori.hub.pki.CertificateAuthority;
import io.mamori.hub.pki.CertificateAuthorityFiles;
import io.mamori.hub.pki.DeviceTrustManager;
import io.mamori.hub.policy.PolicyEvaluator;
import io.mamori.hub.registry.CertificateService;
import io.mamori.hub.registry.PolicyService;
import io.mamori.hub.registry.RegistryListener;
import io.mamori.hub.registry.ThingService;
import io.mamori.hub.store.SqliteCertificateRepository;
import io.mamori.hub.store.SqliteDatabase;
import io.mamori.hub.store.SqlitePolicyRepository;
import io.mamori.hub.store.SqliteRetainedMessageStore;
import io.mamori.hub.store.SqliteSessionStore;
import io.mamori.hub.store.SqliteThingRepository;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
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
  private final AtomicBoolean closed = new AtomicBoolean();

  private Hub(
      HubConfig config,
      SqliteDatabase database,
      ThreadPoolExecutor worker,
      MqttBroker broker,
      AdminApiServer api,
      EventBus events,
      EventLog eventLog,
      DataDirectoryLock lock) {
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
    long started = System.nanoTime();
    Clock clock = Clock.systemUTC();
    createPrivateDirectory(config);
    DataDirectoryLock lock = DataDirectoryLock.acquire(config.dataDir());
    CertificateAuthority authority;
    SqliteDatabase database;
    try {
      authority =
          new CertificateAuthorityFiles(config.pkiDir(), clock).loadOrCreate(config.hostnames());
      database = SqliteDatabase.open(config.databaseFile());
    } catch (RuntimeException e) {
      lock.close();
      throw e;
    }
    ThreadPoolExecutor worker = newWorkerPool();
    EventLog eventLog = new EventLog();
    MqttBroker broker = null;
    try {
      EventBus events = new EventBus();
      events.subscribe(eventLog);
      var things = new SqliteThingRepository(database);
      var certificates = new SqliteCertificateRepository(database);
      var policies = new SqlitePolicyRepository(database);
      var access =
          new DeviceAccess(
              certificates,
              things,
              policies,
              new PolicyEvaluator(config.region(), config.accountId()),
              worker,
              clock);
      // Devices must chain to the hub's CA; manufacturers' CAs join this set in a later issue.
      var deviceTrust = new DeviceTrustManager(authority::chain, clock);
      broker =
          new MqttBroker(
              new MqttBrokerSettings(config.mqttHost(), config.mqttPort(), config.limits()),
              authority.serverIdentity(),
              deviceTrust,
              access.authenticator(),
              new SqliteSessionStore(database),
              new SqliteRetainedMessageStore(database),
              events,
              List.of(),
              clock,
              worker);
      // AWS §7.6 lifecycle events at QoS 0; MqttBroker.publish only routes (never blocks), so this
      // subscriber is safe on the Netty loop that reported the event. Each delivery still needs
      // iot:Receive on the $aws/events/... topic.
      MqttBroker lifecycleBroker = broker;
      events.subscribe(
          new LifecycleEvents(
              (topic, payload) -> lifecycleBroker.publish(topic, payload, 0, false)));
      RegistryListener enforcer = access.enforcer(broker::disconnectPrincipal);
      var thingService = new ThingService(things, certificates, database, events, enforcer, clock);
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
      var policyService =
          new PolicyService(policies, certificates, database, events, enforcer, clock);
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
              events,
              clock);
      broker.start();
      try {
        api.start();
      } catch (RuntimeException e) {
        broker.close();
        throw e;
      }
      Hub hub = new Hub(config, database, worker, broker, api, events, eventLog, lock);
      new HubEndpoint(config.mqttHost(), broker.port(), api.url()).write(config.endpointFile());
      log.info(
          "hub started mqttPort={} apiUrl={} startupMillis={}",
          broker.port(),
          api.url(),
          (System.nanoTime() - started) / 1_000_000);
      return hub;
    } catch (RuntimeException e) {
      worker.shutdownNow();
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

  /** Every event the hub emits; later the audit log, defender and webhooks subscribe here. */
  public EventBus events() {
    return events;
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
    api.close();
    broker.close();
    worker.shutdown();
    try {
      if (!worker.awaitTermination(5, TimeUnit.SECONDS)) {
        worker.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    eventLog.close();
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
