package io.mamori.hub.provisioning;

import io.mamori.hub.access.UnregisteredCertificates;
import io.mamori.hub.events.EventPublisher;
import io.mamori.hub.genuine.GenuineIdentities;
import io.mamori.hub.genuine.GenuineIdentityRepository;
import io.mamori.hub.groups.ThingGroupService;
import io.mamori.hub.identity.OwnershipTokens;
import io.mamori.hub.pki.CertificateAuthority;
import io.mamori.hub.registry.CaCertificateService;
import io.mamori.hub.registry.CertificateRegistration;
import io.mamori.hub.registry.CertificateService;
import io.mamori.hub.registry.DeviceCertificate;
import io.mamori.hub.registry.PolicyService;
import io.mamori.hub.registry.ThingService;
import io.mamori.hub.registry.Transactor;
import java.net.http.HttpClient;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

/**
 * Provisioning's part of the composition root: the template store, the RegisterThing handler and
 * just-in-time registration (JITP / JITR). The handler must be handed to the broker before the
 * registry services exist (they need the broker to cut connections), so the provisioner is {@link
 * #bind bound} afterwards, before the broker starts.
 */
public final class Provisioning implements AutoCloseable {
  /**
   * Concurrent pre-provisioning hook calls. They mostly wait on the network, so this can exceed the
   * core count; with the 5 s timeout it bounds a hanging hook to this many held threads.
   */
  static final int HOOK_THREADS = 16;

  /** Requests waiting for a hook thread; beyond this they are refused with ThrottlingException. */
  static final int HOOK_QUEUE = 1_000;

  private final ProvisioningTemplateService templates;
  private final GenuineIdentities genuine;
  private final Transactor transactor;
  private final String templateArnPrefix;
  private final RegisterThingHandler handler;
  private final ThreadPoolExecutor hookCalls;
  private final BulkRegistrationRepository bulkRegistrations;
  private final EventPublisher events;
  private final Clock clock;
  private final String accountId;
  private volatile Provisioner provisioner;
  private volatile PlanApplier applier;
  private volatile BulkRegistration bulk;
  private volatile JustInTimeRegistration justInTime;

  public Provisioning(
      ProvisioningTemplateRepository repository,
      GenuineIdentityRepository genuineIdentities,
      BulkRegistrationRepository bulkRegistrations,
      Transactor transactor,
      EventPublisher events,
      Clock clock,
      String region,
      String accountId) {
    this.templates = new ProvisioningTemplateService(repository, transactor, events, clock);
    this.genuine = new GenuineIdentities(genuineIdentities, transactor, events, clock);
    this.transactor = transactor;
    this.bulkRegistrations = bulkRegistrations;
    this.events = events;
    this.clock = clock;
    this.templateArnPrefix = "arn:aws:iot:" + region + ":" + accountId + ":provisioningtemplate/";
    this.accountId = accountId;
    this.hookCalls = hookPool();
    this.handler = new RegisterThingHandler(this::provisioner, hookCalls, events, clock);
  }

  private static ThreadPoolExecutor hookPool() {
    AtomicInteger count = new AtomicInteger();
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            HOOK_THREADS,
            HOOK_THREADS,
            60,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(HOOK_QUEUE),
            r -> {
              Thread t = new Thread(r, "mamori-provisioning-hook-" + count.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }

  /** Stops the hook threads; requests still waiting for a hook are dropped (the device retries). */
  @Override
  public void close() {
    hookCalls.shutdownNow();
  }

  public ProvisioningTemplateService templates() {
    return templates;
  }

  /** The manufacturer's list of genuine device identities templates may require. */
  public GenuineIdentities genuine() {
    return genuine;
  }

  public RegisterThingHandler handler() {
    return handler;
  }

  public void bind(
      OwnershipTokens tokens,
      ThingService things,
      CertificateService certificates,
      PolicyService policies,
      ThingGroupService groups,
      CertificateAuthority authority,
      CertificateRegistration registration,
      Duration certificateValidity) {
    var hook =
        new PreProvisioningHook(
            HttpClient.newBuilder().connectTimeout(PreProvisioningHook.TIMEOUT).build(),
            PreProvisioningHook.TIMEOUT,
            templateArnPrefix);
    this.applier = new PlanApplier(things, certificates, policies, groups);
    this.provisioner =
        new Provisioner(templates, tokens, certificates, hook, genuine, transactor, applier);
    this.bulk =
        new BulkRegistration(
            templates,
            provisioner,
            authority,
            registration,
            bulkRegistrations,
            transactor,
            certificateValidity,
            events,
            clock);
  }

  /** Bulk registration through a template; available once {@link #bind bound}. */
  public BulkRegistration bulk() {
    BulkRegistration bound = bulk;
    if (bound == null) {
      throw new IllegalStateException("provisioning is not bound yet");
    }
    return bound;
  }

  /**
   * What the CONNECT authenticator does with unknown and pending certificates: JITP / JITR once
   * {@link #bindJustInTime} ran, a refusal before (fail closed).
   */
  public UnregisteredCertificates unregisteredCertificates() {
    return new UnregisteredCertificates() {
      @Override
      public String refuse(X509Certificate leaf, String certificateId) {
        JustInTimeRegistration bound = justInTime;
        return bound == null
            ? "certificate " + certificateId + " is not registered (auto-registration not ready)"
            : bound.refuse(leaf, certificateId);
      }

      @Override
      public String refusePending(DeviceCertificate certificate) {
        JustInTimeRegistration bound = justInTime;
        return bound == null
            ? UnregisteredCertificates.super.refusePending(certificate)
            : bound.refusePending(certificate);
      }
    };
  }

  /**
   * Binds JITP and JITR; after {@link #bind}.
   *
   * @param topics the broker's hub-originated publish, for the registration event (reference §2.3)
   * @param worker the bounded executor the JITR webhook's answers are applied on
   */
  public void bindJustInTime(
      CaCertificateService cas,
      CertificateRegistration registration,
      CertificateService certificates,
      PolicyService policies,
      BiConsumer<String, byte[]> topics,
      Executor worker,
      Duration webhookTimeout) {
    var jitp =
        new JustInTimeProvisioner(
            templates, registration, requireBound(applier), transactor, events, clock);
    var jitr =
        new JustInTimeRegistrar(
            registration,
            certificates,
            policies,
            transactor,
            topics,
            new RegistrationWebhook(
                HttpClient.newBuilder().connectTimeout(webhookTimeout).build(), webhookTimeout),
            events,
            worker,
            clock,
            accountId);
    this.justInTime = new JustInTimeRegistration(cas, jitp, jitr, events, clock);
  }

  private static PlanApplier requireBound(PlanApplier applier) {
    if (applier == null) {
      throw new IllegalStateException("bind fleet provisioning before just-in-time registration");
    }
    return applier;
  }

  private Provisioner provisioner() {
    Provisioner bound = provisioner;
    if (bound == null) {
      throw new TemplateException(503, "ServiceUnavailableException", "provisioning not ready");
    }
    return bound;
  }
}
