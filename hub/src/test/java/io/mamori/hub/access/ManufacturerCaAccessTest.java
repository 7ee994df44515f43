package io.mamori.hub.access;

import static org.assertj.core.api.Assertions.assertThat;

import io.mamori.hub.events.EventBus;
import io.mamori.hub.mqtt.AuthenticationResult;
import io.mamori.hub.mqtt.ClientAuthorization;
import io.mamori.hub.pki.CertificateAuthority;
import io.mamori.hub.pki.CertificateAuthorityFiles;
import io.mamori.hub.pki.CertificateIds;
import io.mamori.hub.pki.ManufacturerCa;
import io.mamori.hub.pki.Pem;
import io.mamori.hub.policy.PolicyEvaluator;
import io.mamori.hub.registry.CaCertificateService;
import io.mamori.hub.registry.CaCertificateStatus;
import io.mamori.hub.registry.CertificateMode;
import io.mamori.hub.registry.CertificateRegistration;
import io.mamori.hub.registry.CertificateStatus;
import io.mamori.hub.registry.PolicyService;
import io.mamori.hub.registry.RegisterCaRequest;
import io.mamori.hub.registry.RegisterCertificateRequest;
import io.mamori.hub.registry.TrustedCas;
import io.mamori.hub.store.SqliteCaCertificateRepository;
import io.mamori.hub.store.SqliteCertificateRepository;
import io.mamori.hub.store.SqliteDatabase;
import io.mamori.hub.store.SqlitePolicyRepository;
import io.mamori.hub.store.SqliteThingRepository;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CONNECT decisions and live cut-offs for devices whose certificates a registered CA issued. */
class ManufacturerCaAccessTest {
  private static final String ALLOW_ALL =
      """
      {"Version": "2012-10-17", "Statement": [
       {"Effect": "Allow", "Action": "iot:*", "Resource": "*"}]}
      """;

  @TempDir Path dir;
  private SqliteDatabase database;
  private DeviceAccess access;
  private CaCertificateService cas;
  private TrustedCas trusted;
  private CertificateRegistration registration;
  private PolicyService policies;
  private final List<String> disconnected = new CopyOnWriteArrayList<>();
  private final List<String> unregistered = new CopyOnWriteArrayList<>();

  @BeforeEach
  void registry() {
    Clock clock = Clock.systemUTC();
    database = SqliteDatabase.open(dir.resolve("hub.db"));
    CertificateAuthority authority =
        new CertificateAuthorityFiles(dir.resolve("pki"), clock).loadOrCreate(List.of());
    var certificates = new SqliteCertificateRepository(database);
    var caRepository = new SqliteCaCertificateRepository(database);
    var policyRepository = new SqlitePolicyRepository(database);
    Set<String> hubIds = Set.of(CertificateIds.of(authority.issuingCertificate()));
    access =
        new DeviceAccess(
            certificates,
            new SqliteThingRepository(database),
            policyRepository,
            GroupPolicies.NONE,
            new PolicyEvaluator("local", "000000000000"),
            Runnable::run,
            clock,
            new RegisteredIssuers(hubIds, caRepository),
            (leaf, id) -> {
              unregistered.add(id);
              return "certificate " + id + " is not registered (seam)";
            });
    var enforcer =
        access.enforcer(
            (principal, reason) -> {
              disconnected.add(principal + " " + reason);
              return 1;
            });
    var events = new EventBus();
    trusted = new TrustedCas(authority.chain(), caRepository);
    cas =
        new CaCertificateService(caRepository, trusted, hubIds, database, events, enforcer, clock);
    registration =
        new CertificateRegistration(
            certificates,
            new SqliteThingRepository(database),
            policyRepository,
            cas,
            authority.issuingCertificate(),
            database,
            events,
            enforcer,
            clock);
    policies = new PolicyService(policyRepository, certificates, database, events, enforcer, clock);
    policies.create("all", ALLOW_ALL, "test");
  }

  @AfterEach
  void close() {
    database.close();
  }

  @Test
  void deactivatingTheCaCutsItsDevicesOffAndRefusesThemAtConnect() throws Exception {
    var factory = registeredCa("Factory A");
    var other = registeredCa("Factory B");
    X509Certificate deviceA = registeredDevice(factory, "a-1");
    X509Certificate deviceB = registeredDevice(other, "b-1");
    ClientAuthorization liveA = accepted(deviceA, "a-1");
    ClientAuthorization liveB = accepted(deviceB, "b-1");
    assertThat(trusted.get()).contains(factory.certificate, other.certificate);

    cas.setStatus(factory.id(), CaCertificateStatus.INACTIVE, "test");

    String idA = CertificateIds.of(deviceA);
    assertThat(disconnected).containsExactly(idA + " issuing CA " + factory.id() + " INACTIVE");
    assertThat(liveA.mayPublish("t", false).allowed()).isFalse();
    assertThat(liveB.mayPublish("t", false).allowed()).isTrue();
    assertThat(trusted.get()).doesNotContain(factory.certificate).contains(other.certificate);
    // Even if the handshake let it through (a stale trust snapshot), CONNECT is refused.
    assertThat(connect(deviceA, "a-1"))
        .isInstanceOfSatisfying(
            AuthenticationResult.Refused.class,
            r -> assertThat(r.reason()).isEqualTo("issuing CA " + factory.id() + " is INACTIVE"));

    cas.setStatus(factory.id(), CaCertificateStatus.ACTIVE, "test");
    assertThat(connect(deviceA, "a-1")).isInstanceOf(AuthenticationResult.Accepted.class);
  }

  @Test
  void anUnknownCertificateGoesThroughTheAutoRegistrationSeam() throws Exception {
    var factory = registeredCa("Factory A");
    X509Certificate stranger =
        factory.device(ManufacturerCa.p256(), "new-device", Duration.ofDays(30));

    assertThat(connect(stranger, "new-device"))
        .isInstanceOfSatisfying(
            AuthenticationResult.Refused.class, r -> assertThat(r.reason()).endsWith("(seam)"));
    assertThat(unregistered).containsExactly(CertificateIds.of(stranger));
    assertThat(cas.issuersOf(stranger)).extracting(c -> c.id()).containsExactly(factory.id());
  }

  private ManufacturerCa registeredCa(String name) throws Exception {
    var ca = ManufacturerCa.create(name);
    cas.register(
        new RegisterCaRequest(
            ca.pem(), Optional.empty(), CertificateMode.SNI_ONLY, true, false, Optional.empty()),
        "test");
    return ca;
  }

  private X509Certificate registeredDevice(ManufacturerCa ca, String name) throws Exception {
    X509Certificate device = ca.device(ManufacturerCa.p256(), name, Duration.ofDays(30));
    var registered =
        registration.register(
            new RegisterCertificateRequest(
                Pem.encodeCertificate(device), Optional.of(ca.id()), CertificateStatus.ACTIVE),
            "test");
    policies.attach("all", registered.id(), "test");
    return device;
  }

  private ClientAuthorization accepted(X509Certificate leaf, String clientId) {
    var result = connect(leaf, clientId);
    assertThat(result).isInstanceOf(AuthenticationResult.Accepted.class);
    return ((AuthenticationResult.Accepted) result).authorization();
  }

  private AuthenticationResult connect(X509Certificate leaf, String clientId) {
    return TestConnects.connect(access, clientId, leaf);
  }
}
