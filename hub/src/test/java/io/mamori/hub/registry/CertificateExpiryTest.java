package io.mamori.hub.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.mamori.hub.pki.CertificateAuthority;
import io.mamori.hub.pki.CertificateAuthorityFiles;
import io.mamori.hub.pki.CertificateIds;
import io.mamori.hub.pki.ManufacturerCa;
import io.mamori.hub.pki.Pem;
import io.mamori.hub.store.SqliteCaCertificateRepository;
import io.mamori.hub.store.SqliteCertificateRepository;
import io.mamori.hub.store.SqliteDatabase;
import io.mamori.hub.store.SqliteExpiryNotices;
import io.mamori.hub.store.SqlitePolicyRepository;
import io.mamori.hub.store.SqliteThingRepository;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The expiry report and its events: once per certificate and window, also across restarts. */
class CertificateExpiryTest {
  @TempDir Path dir;
  private SqliteDatabase db;
  private CertificateAuthority authority;
  private final RecordingEvents events = new RecordingEvents();
  private ManufacturerCa ca;
  private String deviceId;

  @BeforeEach
  void registryWithAShortLivedDevice() throws Exception {
    Clock clock = Clock.systemUTC();
    db = SqliteDatabase.open(dir.resolve("hub.db"));
    authority = new CertificateAuthorityFiles(dir.resolve("pki"), clock).loadOrCreate(List.of());
    var repository = new SqliteCaCertificateRepository(db);
    var cas =
        new CaCertificateService(
            repository,
            new TrustedCas(authority.chain(), repository),
            Set.of(),
            db,
            events,
            new RegistryListener() {},
            clock);
    ca = ManufacturerCa.create("Factory", true, Duration.ofDays(100));
    cas.register(
        new RegisterCaRequest(
            ca.pem(), Optional.empty(), CertificateMode.SNI_ONLY, true, false, Optional.empty()),
        "admin");
    var device = ca.device(ManufacturerCa.p256(), "d1", Duration.ofDays(20));
    deviceId =
        new CertificateRegistration(
                new SqliteCertificateRepository(db),
                new SqliteThingRepository(db),
                new SqlitePolicyRepository(db),
                cas,
                authority.issuingCertificate(),
                db,
                events,
                new RegistryListener() {},
                clock)
            .register(
                new RegisterCertificateRequest(
                    Pem.encodeCertificate(device), Optional.empty(), CertificateStatus.ACTIVE),
                "admin")
            .id();
  }

  @AfterEach
  void close() {
    db.close();
  }

  @Test
  void theReportListsDevicesCasAndTheHubsOwnChainWithinTheWindow() {
    var expiry = expiryAt(Instant.now());
    assertThat(expiry.within(30)).extracting(ExpiringCertificate::id).containsExactly(deviceId);
    assertThat(expiry.within(150))
        .extracting(ExpiringCertificate::kind)
        .containsExactly(ExpiringCertificate.Kind.DEVICE, ExpiringCertificate.Kind.CA);
    // The hub's issuing CA lives for years; the day before it expires it is reported too.
    Instant hubCaEnd = authority.issuingCertificate().getNotAfter().toInstant();
    assertThat(expiryAt(hubCaEnd.minus(Duration.ofDays(1))).within(5))
        .filteredOn(c -> c.kind() == ExpiringCertificate.Kind.HUB_CA)
        .extracting(ExpiringCertificate::id)
        .contains(CertificateIds.of(authority.issuingCertificate()));
  }

  @Test
  void eachWindowIsReportedOnceEvenAcrossRestarts() throws Exception {
    Instant now = Instant.now();
    assertThat(expiryAt(now).raiseEvents()).isEqualTo(1);
    assertThat(expiryAt(now.plus(Duration.ofHours(1))).raiseEvents()).isZero();
    var first = events.ofType("certificate.expiring").get(0);
    assertThat(first.subject()).isEqualTo(deviceId);
    assertThat(first.details()).containsEntry("windowDays", "30").containsEntry("kind", "DEVICE");

    db.close();
    db = SqliteDatabase.open(dir.resolve("hub.db"));
    assertThat(expiryAt(now.plus(Duration.ofHours(2))).raiseEvents()).isZero();

    // Two weeks on, the device enters the 7-day window (once), and the CA its 30-day window... not
    // yet: it has 86 days left.
    Instant later = now.plus(Duration.ofDays(14));
    assertThat(expiryAt(later).raiseEvents()).isEqualTo(1);
    assertThat(expiryAt(later).raiseEvents()).isZero();
    assertThat(events.ofType("certificate.expiring"))
        .extracting(e -> e.subject() + " " + e.details().get("windowDays"))
        .containsExactly(deviceId + " 30", deviceId + " 7");

    // Past its expiry the device is reported once more (the 1-day window), the CA at 30 days.
    Instant afterExpiry = now.plus(Duration.ofDays(75));
    assertThat(expiryAt(afterExpiry).raiseEvents()).isEqualTo(2);
    assertThat(events.ofType("certificate.expiring").get(2).reason()).startsWith("expired at");
  }

  private CertificateExpiry expiryAt(Instant now) {
    return new CertificateExpiry(
        new SqliteCertificateRepository(db),
        new SqliteCaCertificateRepository(db),
        authority.chain(),
        new SqliteExpiryNotices(db),
        events,
        Clock.fixed(now, ZoneOffset.UTC),
        List.of(30, 7, 1));
  }
}
