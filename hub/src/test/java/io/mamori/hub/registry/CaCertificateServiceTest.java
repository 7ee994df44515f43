package io.mamori.hub.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mamori.hub.pki.CertificateAuthority;
import io.mamori.hub.pki.CertificateAuthorityFiles;
import io.mamori.hub.pki.CertificateIds;
import io.mamori.hub.pki.ManufacturerCa;
import io.mamori.hub.pki.Pem;
import io.mamori.hub.store.SqliteCaCertificateRepository;
import io.mamori.hub.store.SqliteCertificateRepository;
import io.mamori.hub.store.SqliteDatabase;
import io.mamori.hub.store.SqlitePolicyRepository;
import io.mamori.hub.store.SqliteThingRepository;
import java.nio.file.Path;
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

/** Registering manufacturers' CAs: proof of possession, status rules, trust snapshot, delete. */
class CaCertificateServiceTest {
  @TempDir Path dir;
  private SqliteDatabase db;
  private CertificateAuthority authority;
  private SqliteCaCertificateRepository repository;
  private TrustedCas trusted;
  private CaCertificateService cas;
  private CertificateRegistration registration;
  private final RecordingEvents events = new RecordingEvents();
  private final List<String> calls = new CopyOnWriteArrayList<>();

  @BeforeEach
  void open() {
    Clock clock = Clock.systemUTC();
    db = SqliteDatabase.open(dir.resolve("hub.db"));
    authority = new CertificateAuthorityFiles(dir.resolve("pki"), clock).loadOrCreate(List.of());
    repository = new SqliteCaCertificateRepository(db);
    trusted = new TrustedCas(authority.chain(), repository);
    RegistryListener listener =
        new RegistryListener() {
          @Override
          public void caCertificateStatusChanged(
              String id, CaCertificateStatus from, CaCertificateStatus to) {
            // The snapshot is refreshed before anyone is told.
            calls.add(id + " " + from + "->" + to + " trusted=" + trustedHas(id));
          }
        };
    Set<String> hubIds = Set.copyOf(authority.chain().stream().map(CertificateIds::of).toList());
    cas = new CaCertificateService(repository, trusted, hubIds, db, events, listener, clock);
    registration =
        new CertificateRegistration(
            new SqliteCertificateRepository(db),
            new SqliteThingRepository(db),
            new SqlitePolicyRepository(db),
            cas,
            authority.issuingCertificate(),
            db,
            events,
            listener,
            clock);
  }

  @AfterEach
  void close() {
    db.close();
  }

  @Test
  void theRegistrationCodeIsMadeOnceAndKept() {
    String code = cas.registrationCode();
    assertThat(code).matches("[0-9a-f]{64}");
    assertThat(cas.registrationCode()).isEqualTo(code);
    db.close();
    db = SqliteDatabase.open(dir.resolve("hub.db"));
    assertThat(new SqliteCaCertificateRepository(db).registrationCode()).contains(code);
  }

  @Test
  void aCaWithAValidVerificationCertificateIsRegisteredWithItsSettings() throws Exception {
    var ca = ManufacturerCa.create("Factory");
    var config =
        new RegistrationConfig(
            Optional.of("{\"Resources\":{}}"), Optional.empty(), Optional.empty());

    CaCertificate registered =
        cas.register(
            new RegisterCaRequest(
                ca.pem(),
                Optional.of(
                    Pem.encodeCertificate(ca.verificationCertificate(cas.registrationCode()))),
                CertificateMode.DEFAULT,
                false,
                true,
                Optional.of(config)),
            "admin");

    assertThat(registered.id()).isEqualTo(ca.id());
    CaCertificate stored = cas.get(ca.id());
    assertThat(stored.status()).isEqualTo(CaCertificateStatus.INACTIVE);
    assertThat(stored.autoRegistration()).isEqualTo(AutoRegistrationStatus.ENABLE);
    assertThat(stored.registrationConfig()).contains(config);
    assertThat(stored.subject()).isEqualTo("O=Test Manufacturer,CN=Factory");
    assertThat(trusted.get()).doesNotContain(ca.certificate);
    assertThat(events.ofType("ca-certificate.registered")).hasSize(1);

    var updated =
        cas.setAutoRegistration(
            ca.id(),
            AutoRegistrationStatus.DISABLE,
            Optional.of(
                new RegistrationConfig(Optional.empty(), Optional.of("jitp-1"), Optional.empty())),
            "admin");
    assertThat(updated.registrationConfig().flatMap(RegistrationConfig::templateName))
        .contains("jitp-1");
    assertThat(cas.get(ca.id()).autoRegistration()).isEqualTo(AutoRegistrationStatus.DISABLE);
  }

  @Test
  void registeringTwiceIsAConflictNamingTheStatus() throws Exception {
    var ca = ManufacturerCa.create("Factory");
    sniOnly(ca, true);
    assertThatThrownBy(() -> sniOnly(ca, true))
        .isInstanceOfSatisfying(
            RegistryException.class,
            e -> assertThat(e.kind()).isEqualTo(RegistryException.Kind.CONFLICT))
        .hasMessageContaining("already registered (status ACTIVE)");
  }

  @Test
  void theHubsOwnCaCannotBeRegistered() {
    assertThatThrownBy(
            () ->
                cas.register(
                    new RegisterCaRequest(
                        Pem.encodeCertificate(authority.issuingCertificate()),
                        Optional.empty(),
                        CertificateMode.SNI_ONLY,
                        true,
                        false,
                        Optional.empty()),
                    "admin"))
        .hasMessageContaining("the hub's own CA");
  }

  @Test
  void sniOnlyRefusesAVerificationCertificate() throws Exception {
    var ca = ManufacturerCa.create("Factory");
    assertThatThrownBy(
            () ->
                cas.register(
                    new RegisterCaRequest(
                        ca.pem(),
                        Optional.of(Pem.encodeCertificate(ca.verificationCertificate("x"))),
                        CertificateMode.SNI_ONLY,
                        true,
                        false,
                        Optional.empty()),
                    "admin"))
        .hasMessageContaining("SNI_ONLY takes no verification certificate");
    assertThat(cas.list()).isEmpty();
  }

  @Test
  void statusChangesRefreshTrustBeforeTheListenerHearsAndRevocationIsFinal() throws Exception {
    var ca = ManufacturerCa.create("Factory");
    sniOnly(ca, true);
    assertThat(trusted.get()).contains(ca.certificate);

    cas.setStatus(ca.id(), CaCertificateStatus.INACTIVE, "admin");
    cas.setStatus(ca.id(), CaCertificateStatus.INACTIVE, "admin");
    cas.setStatus(ca.id(), CaCertificateStatus.ACTIVE, "admin");
    cas.setStatus(ca.id(), CaCertificateStatus.REVOKED, "admin");

    assertThat(calls)
        .containsExactly(
            ca.id() + " ACTIVE->INACTIVE trusted=false",
            ca.id() + " INACTIVE->ACTIVE trusted=true",
            ca.id() + " ACTIVE->REVOKED trusted=false");
    assertThatThrownBy(() -> cas.setStatus(ca.id(), CaCertificateStatus.ACTIVE, "admin"))
        .hasMessageContaining("revocation is final");
    assertThat(events.ofType("ca-certificate.revoked")).hasSize(1);
  }

  @Test
  void deleteIsRefusedWhileActiveOrWhileDevicesAreRegistered() throws Exception {
    var ca = ManufacturerCa.create("Factory");
    sniOnly(ca, true);
    assertThatThrownBy(() -> cas.delete(ca.id(), "admin")).hasMessageContaining("is ACTIVE");

    var device = ca.device(ManufacturerCa.p256(), "d1", Duration.ofDays(10));
    registration.register(
        new RegisterCertificateRequest(
            Pem.encodeCertificate(device), Optional.empty(), CertificateStatus.INACTIVE),
        "admin");
    cas.setStatus(ca.id(), CaCertificateStatus.INACTIVE, "admin");
    assertThatThrownBy(() -> cas.delete(ca.id(), "admin"))
        .hasMessageContaining("1 registered device certificate");

    var unused = ManufacturerCa.create("Unused");
    sniOnly(unused, false);
    cas.delete(unused.id(), "admin");
    assertThat(cas.list()).extracting(CaCertificate::id).containsExactly(ca.id());
  }

  @Test
  void aDeviceCertificateIsRegisteredOnlyUnderAnActiveCaThatIssuedIt() throws Exception {
    var ca = ManufacturerCa.create("Factory");
    sniOnly(ca, true);
    var expired = ca.device(ManufacturerCa.p256(), "old", Duration.ofSeconds(-1));
    assertThatThrownBy(
            () ->
                registration.register(
                    new RegisterCertificateRequest(
                        Pem.encodeCertificate(expired), Optional.empty(), CertificateStatus.ACTIVE),
                    "admin"))
        .hasMessageContaining("expired at");

    var good = ca.device(ManufacturerCa.p256(), "new", Duration.ofDays(30));
    DeviceCertificate registered =
        registration.register(
            new RegisterCertificateRequest(
                Pem.encodeCertificate(good), Optional.empty(), CertificateStatus.ACTIVE),
            "admin");
    assertThat(registered.caCertificateId()).isEqualTo(ca.id());
    assertThat(registered.status()).isEqualTo(CertificateStatus.ACTIVE);
    assertThat(events.ofType("certificate.registered"))
        .extracting(e -> e.outcome())
        .containsExactly("failure", "success");

    assertThatThrownBy(
            () ->
                registration.register(
                    new RegisterCertificateRequest(
                        "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
                        Optional.empty(),
                        CertificateStatus.ACTIVE),
                    "admin"))
        .hasMessageStartingWith("device certificate: not a readable PEM certificate");
  }

  @Test
  void theJitpTemplateAndJitrWebhookAreStoredAndCanBeRemoved() throws Exception {
    var ca = ManufacturerCa.create("Factory");
    sniOnly(ca, true);
    var config = new RegistrationConfig(Optional.empty(), Optional.of("acme"), Optional.empty());
    cas.setRegistrationConfig(ca.id(), Optional.of(config), "admin");
    cas.setJitrWebhook(ca.id(), Optional.of("https://backend.example/jitr"), "admin");
    CaCertificate stored = new SqliteCaCertificateRepository(db).find(ca.id()).orElseThrow();
    assertThat(stored.registrationConfig()).contains(config);
    assertThat(stored.jitrWebhook()).contains("https://backend.example/jitr");

    assertThatThrownBy(() -> cas.setJitrWebhook(ca.id(), Optional.of("ftp://x/y"), "admin"))
        .hasMessageContaining("JITR webhook must be an http:// or https:// URL");
    cas.setRegistrationConfig(ca.id(), Optional.empty(), "admin");
    cas.setJitrWebhook(ca.id(), Optional.empty(), "admin");
    CaCertificate cleared = cas.get(ca.id());
    assertThat(cleared.registrationConfig()).isEmpty();
    assertThat(cleared.jitrWebhook()).isEmpty();
    assertThat(events.ofType("ca-certificate.updated")).hasSize(4);
  }

  @Test
  void autoRegistrationNeedsAnActiveCaThatAllowsItAndThatIssuedTheCertificate() throws Exception {
    var ca = ManufacturerCa.create("Factory");
    sniOnly(ca, true);
    var device = ca.device(ManufacturerCa.p256(), "sensor-1", Duration.ofDays(30));
    assertThatThrownBy(() -> registration.autoRegister(device, ca.id(), "JITR", "jitr"))
        .hasMessageContaining("with auto-registration DISABLE");

    cas.setAutoRegistration(ca.id(), AutoRegistrationStatus.ENABLE, Optional.empty(), "admin");
    DeviceCertificate pending = registration.autoRegister(device, ca.id(), "JITR", "jitr");
    assertThat(pending.status()).isEqualTo(CertificateStatus.PENDING_ACTIVATION);
    assertThat(pending.caCertificateId()).isEqualTo(ca.id());
    // A concurrent first connect gets the same registration, not an error.
    assertThat(registration.autoRegister(device, ca.id(), "JITR", "jitr")).isEqualTo(pending);
    assertThat(events.ofType("certificate.registered"))
        .filteredOn(e -> e.outcome().equals("success"))
        .singleElement()
        .satisfies(e -> assertThat(e.details()).containsEntry("autoRegistration", "JITR"));

    var stranger = ManufacturerCa.create("Factory");
    var forged = stranger.device(ManufacturerCa.p256(), "sensor-2", Duration.ofDays(30));
    assertThatThrownBy(() -> registration.autoRegister(forged, ca.id(), "JITR", "jitr"))
        .hasMessageContaining("was not issued by CA");
    cas.setStatus(ca.id(), CaCertificateStatus.INACTIVE, "admin");
    var late = ca.device(ManufacturerCa.p256(), "sensor-3", Duration.ofDays(30));
    assertThatThrownBy(() -> registration.autoRegister(late, ca.id(), "JITR", "jitr"))
        .hasMessageContaining("is INACTIVE");
  }

  private boolean trustedHas(String id) {
    return trusted.get().stream().anyMatch(c -> CertificateIds.of(c).equals(id));
  }

  private void sniOnly(ManufacturerCa ca, boolean active) {
    cas.register(
        new RegisterCaRequest(
            ca.pem(), Optional.empty(), CertificateMode.SNI_ONLY, active, false, Optional.empty()),
        "admin");
  }
}
