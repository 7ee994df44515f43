package io.mamori.hub.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.mamori.hub.events.HubEvent;
import io.mamori.hub.pki.CertificateAuthorityFiles;
import io.mamori.hub.registry.CertificateService;
import io.mamori.hub.registry.CertificateStatus;
import io.mamori.hub.registry.IssueRequest;
import io.mamori.hub.registry.Policy;
import io.mamori.hub.registry.PolicyService;
import io.mamori.hub.registry.RegistryListener;
import io.mamori.hub.registry.ThingService;
import io.mamori.hub.store.SqliteCertificateRepository;
import io.mamori.hub.store.SqliteDatabase;
import io.mamori.hub.store.SqliteOwnershipTokenRepository;
import io.mamori.hub.store.SqlitePolicyRepository;
import io.mamori.hub.store.SqliteRotationRepository;
import io.mamori.hub.store.SqliteThingRepository;
import java.io.StringWriter;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rotation semantics over a real SQLite registry and a real CA, without the broker. */
class CertificateRotationTest {
  private static final Duration GRACE = Duration.ofHours(1);
  private static final String DOCUMENT =
      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
          + "\"Action\":\"iot:Connect\",\"Resource\":\"*\"}]}";

  @TempDir Path dir;
  private final AtomicReference<Instant> now = new AtomicReference<>(Instant.now());
  private final Clock clock =
      new Clock() {
        @Override
        public ZoneOffset getZone() {
          return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
          return this;
        }

        @Override
        public Instant instant() {
          return now.get();
        }
      };
  private final List<HubEvent> events = new CopyOnWriteArrayList<>();
  private final List<String> cutOff = new CopyOnWriteArrayList<>();
  private SqliteDatabase db;
  private CertificateService certificateService;
  private ThingService things;
  private PolicyService policies;
  private CertificateCreator creator;
  private RotationCompleter completer;
  private OwnershipTokens tokens;

  @BeforeEach
  void wire() {
    db = SqliteDatabase.open(dir.resolve("mamori.db"));
    var authority =
        new CertificateAuthorityFiles(dir.resolve("pki"), Clock.systemUTC())
            .loadOrCreate(List.of());
    var thingRepository = new SqliteThingRepository(db);
    var certificates = new SqliteCertificateRepository(db);
    var policyRepository = new SqlitePolicyRepository(db);
    RegistryListener listener =
        new RegistryListener() {
          @Override
          public void certificateStatusChanged(
              String id, CertificateStatus from, CertificateStatus to) {
            cutOff.add(id);
          }
        };
    things = new ThingService(thingRepository, certificates, db, events::add, listener, clock);
    certificateService =
        new CertificateService(
            certificates,
            thingRepository,
            policyRepository,
            authority,
            365,
            db,
            events::add,
            listener,
            clock);
    policies = new PolicyService(policyRepository, certificates, db, events::add, listener, clock);
    var rotations = new SqliteRotationRepository(db);
    tokens = new OwnershipTokens(new SqliteOwnershipTokenRepository(db), db, clock);
    var pending = new PendingRotations();
    creator =
        new CertificateCreator(
            certificates,
            policyRepository,
            authority,
            tokens,
            rotations,
            db,
            events::add,
            pending::add,
            Duration.ofDays(30),
            GRACE,
            clock);
    completer =
        new RotationCompleter(
            rotations,
            certificates,
            certificateService,
            tokens,
            pending,
            db,
            events::add,
            GRACE,
            clock);
  }

  @AfterEach
  void close() {
    completer.close();
    db.close();
  }

  private String device(String thing, String... policyNames) {
    things.create(thing, Map.of(), Optional.empty(), "admin");
    String id =
        certificateService
            .issue(
                new IssueRequest(thing, Optional.empty(), Optional.empty(), Optional.empty()),
                "admin")
            .certificate()
            .id();
    for (String policy : policyNames) {
      if (policies.list().stream().noneMatch(p -> p.name().equals(policy))) {
        policies.create(policy, DOCUMENT, "admin");
      }
      policies.attach(policy, id, "admin");
    }
    return id;
  }

  private static String csr() throws Exception {
    var generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    var keys = generator.generateKeyPair();
    var request =
        new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=ignored"), keys.getPublic())
            .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate()));
    var text = new StringWriter();
    try (var writer = new JcaPEMWriter(text)) {
      writer.writeObject(request);
    }
    return text.toString();
  }

  private CertificateStatus status(String id) {
    return certificateService.get(id).status();
  }

  private HubEvent connected(String certificateId) {
    return HubEvent.success("mqtt.connect", now.get(), certificateId, "client");
  }

  @Test
  void rotationCarriesEveryThingAndPolicyOverAndKeepsTheOldActive() throws Exception {
    String old = device("sensor-1", "a", "b");

    CreatedCertificate created = creator.create(old, Optional.of(csr()));

    assertThat(created.privateKeyPem()).isEmpty();
    assertThat(created.rotation()).isPresent();
    assertThat(created.rotation().get().deadline())
        .isEqualTo(created.rotation().get().requestedAt().plus(GRACE));
    assertThat(status(created.certificateId())).isEqualTo(CertificateStatus.ACTIVE);
    assertThat(certificateService.thingsOf(created.certificateId())).containsExactly("sensor-1");
    assertThat(policies.policiesOf(created.certificateId()))
        .extracting(Policy::name)
        .containsExactlyInAnyOrder("a", "b");
    assertThat(status(old)).isEqualTo(CertificateStatus.ACTIVE);
    assertThat(tokens.consume(created.ownershipToken())).contains(created.certificateId());
    assertThat(events).extracting(HubEvent::type).contains("certificate.rotated");
  }

  @Test
  void firstConnectOfTheNewCertificateDeactivatesTheOldAndSupersedesUnusedOnes() throws Exception {
    String old = device("sensor-1", "a");
    String unused = creator.create(old, Optional.of(csr())).certificateId();
    String used = creator.create(old, Optional.empty()).certificateId();

    completer.accept(connected(old)); // a connect of a certificate that is no new one: ignored
    completer.accept(connected(used));

    await().atMost(Duration.ofSeconds(10)).until(() -> status(old) == CertificateStatus.INACTIVE);
    await().until(() -> status(unused) == CertificateStatus.INACTIVE);
    assertThat(status(used)).isEqualTo(CertificateStatus.ACTIVE);
    assertThat(cutOff).contains(old, unused);
    assertThat(events)
        .filteredOn(e -> e.type().equals("certificate.rotation-completed"))
        .extracting(HubEvent::subject, HubEvent::reason)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple(used, "connected"),
            org.assertj.core.groups.Tuple.tuple(unused, "superseded"));
  }

  @Test
  void sweepDeactivatesTheOldOnlyOnceTheGracePeriodHasEnded() throws Exception {
    String old = device("sensor-1");
    String fresh = creator.create(old, Optional.of(csr())).certificateId();

    now.set(now.get().plus(GRACE).minusSeconds(1));
    assertThat(completer.sweep()).isZero();
    assertThat(status(old)).isEqualTo(CertificateStatus.ACTIVE);

    now.set(now.get().plusSeconds(1));
    assertThat(completer.sweep()).isEqualTo(1);
    assertThat(status(old)).isEqualTo(CertificateStatus.INACTIVE);
    assertThat(status(fresh)).isEqualTo(CertificateStatus.ACTIVE);
    assertThat(completer.sweep()).isZero();
  }

  @Test
  void aRevokedOldCertificateStaysRevoked() throws Exception {
    String old = device("sensor-1");
    creator.create(old, Optional.of(csr()));
    certificateService.setStatus(old, CertificateStatus.REVOKED, "admin");

    now.set(now.get().plus(GRACE));
    assertThat(completer.sweep()).isEqualTo(1);
    assertThat(status(old)).isEqualTo(CertificateStatus.REVOKED);
  }

  @Test
  void claimCertificateGetsAPendingCertificateWithNothingAttached() throws Exception {
    String claim = device("claim", "claim-policy");
    things.delete("claim", "admin");

    CreatedCertificate created = creator.create(claim, Optional.empty());

    assertThat(created.privateKeyPem()).isPresent();
    assertThat(created.rotation()).isEmpty();
    assertThat(status(created.certificateId())).isEqualTo(CertificateStatus.PENDING_ACTIVATION);
    assertThat(certificateService.thingsOf(created.certificateId())).isEmpty();
    assertThat(policies.policiesOf(created.certificateId())).isEmpty();
  }

  @Test
  void refusalsNameTheReasonAndRegisterNothing() throws Exception {
    String old = device("sensor-1");
    int before = certificateService.list().size();

    assertThatThrownBy(() -> creator.create(old, Optional.of("not a csr")))
        .isInstanceOfSatisfying(
            IdentityApiException.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(400);
              assertThat(e.errorCode()).isEqualTo("InvalidCsr");
              assertThat(e.getMessage()).startsWith("CSR rejected: ");
            });
    assertThat(certificateService.list()).hasSize(before);

    for (int i = 0; i < CertificateCreator.MAX_PENDING_ROTATIONS; i++) {
      creator.create(old, Optional.of(csr()));
    }
    assertThatThrownBy(() -> creator.create(old, Optional.of(csr())))
        .isInstanceOfSatisfying(
            IdentityApiException.class, e -> assertThat(e.statusCode()).isEqualTo(429));

    certificateService.setStatus(old, CertificateStatus.INACTIVE, "admin");
    assertThatThrownBy(() -> creator.create(old, Optional.of(csr())))
        .isInstanceOfSatisfying(
            IdentityApiException.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(403);
              assertThat(e.getMessage()).endsWith("is INACTIVE");
            });
  }
}
