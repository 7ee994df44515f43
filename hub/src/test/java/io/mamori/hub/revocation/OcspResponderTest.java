package io.mamori.hub.revocation;

import static org.assertj.core.api.Assertions.assertThat;

import io.mamori.hub.pki.CertificateAuthority;
import io.mamori.hub.pki.CertificateAuthorityFiles;
import io.mamori.hub.pki.DeviceCertificateRequest;
import io.mamori.hub.pki.IssuedCertificate;
import io.mamori.hub.pki.RevocationReason;
import io.mamori.hub.registry.CertificateStatus;
import io.mamori.hub.registry.DeviceCertificate;
import io.mamori.hub.registry.Revocation;
import io.mamori.hub.store.SqliteCertificateRepository;
import io.mamori.hub.store.SqliteDatabase;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.UnknownStatus;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The OCSP cache: reused, refreshed before it goes stale, never stale after a revocation. */
class OcspResponderTest {
  private static final Duration VALIDITY = Duration.ofMinutes(10);

  @TempDir Path dir;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
  private SqliteDatabase db;
  private SqliteCertificateRepository certificates;
  private CertificateAuthority ca;
  private OcspResponder responder;
  private IssuedCertificate device;

  @BeforeEach
  void setUp() {
    ca = new CertificateAuthorityFiles(dir.resolve("pki"), clock).loadOrCreate(List.of());
    db = SqliteDatabase.open(dir.resolve("test.db"));
    certificates = new SqliteCertificateRepository(db);
    device =
        ca.issueDeviceCertificate(
            new DeviceCertificateRequest("d1", Optional.empty(), Duration.ofDays(30)));
    var x509 = device.certificate();
    certificates.insert(
        new DeviceCertificate(
            device.certificateId(),
            device.certificatePem(),
            CertificateStatus.ACTIVE,
            "CN=d1",
            "CN=issuer",
            x509.getSerialNumber().toString(16),
            x509.getNotBefore().toInstant(),
            x509.getNotAfter().toInstant(),
            ca.issuingCertificateId(),
            clock.instant(),
            clock.instant()));
    // The executor runs refreshes inline so the test sees their effect at once.
    responder =
        new OcspResponder(
            ca.revocationSigners().ocsp(),
            ca.issuingCertificateId(),
            certificates,
            clock,
            VALIDITY,
            100,
            Runnable::run);
  }

  @AfterEach
  void tearDown() {
    db.close();
  }

  @Test
  void aRepeatedRequestIsAnsweredFromTheCache() throws Exception {
    byte[] first = responder.respond(request(false));
    assertThat(responder.parse(request(false))).isInstanceOf(OcspResponder.Ready.class);
    assertThat(responder.respond(request(false))).isEqualTo(first);
    assertThat(single(first).getCertStatus()).isNull(); // good
  }

  @Test
  void aNoncedRequestIsSignedAfreshWithItsNonce() throws Exception {
    responder.respond(request(false));
    assertThat(responder.parse(request(true))).isInstanceOf(OcspResponder.NeedsSigning.class);
    BasicOCSPResp answer = basic(responder.respond(request(true)));
    assertThat(answer.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce)).isNotNull();
  }

  @Test
  void aCachedResponseIsReSignedAfterHalfItsValidityAndNeverServedStale() throws Exception {
    byte[] first = responder.respond(request(false));
    clock.advance(VALIDITY.dividedBy(2).plusSeconds(1));
    // still valid: served, and a refresh is triggered (inline here)
    assertThat(responder.respond(request(false))).isEqualTo(first);
    byte[] refreshed = responder.respond(request(false));
    assertThat(refreshed).isNotEqualTo(first);
    assertThat(single(refreshed).getThisUpdate()).isAfter(single(first).getThisUpdate());
    clock.advance(VALIDITY.plusSeconds(1));
    byte[] late = responder.respond(request(false));
    assertThat(single(late).getNextUpdate().toInstant()).isAfter(clock.instant());
  }

  @Test
  void revocationEvictsTheCachedGoodAnswerAtOnce() throws Exception {
    responder.respond(request(false));
    var revokedAt = clock.instant();
    certificates.update(
        certificates
            .find(device.certificateId())
            .orElseThrow()
            .revoked(new Revocation(revokedAt, RevocationReason.KEY_COMPROMISE)));
    responder.certificateRevoked(device.certificateId());

    var status = single(responder.respond(request(false))).getCertStatus();
    assertThat(status).isInstanceOf(RevokedStatus.class);
    var revoked = (RevokedStatus) status;
    assertThat(revoked.getRevocationReason()).isEqualTo(1);
    assertThat(revoked.getRevocationTime().toInstant()).isEqualTo(revokedAt);
  }

  @Test
  void aSerialTheRegistryLacksIsUnknownAndNotCached() throws Exception {
    var other =
        ca.issueDeviceCertificate(
            new DeviceCertificateRequest("stray", Optional.empty(), Duration.ofDays(1)));
    byte[] req = request(other.certificate().getSerialNumber(), false);
    assertThat(single(responder.respond(req)).getCertStatus()).isInstanceOf(UnknownStatus.class);
    assertThat(responder.cachedCertificates()).isZero();
  }

  @Test
  void garbageIsMalformedRequest() throws Exception {
    assertThat(new OCSPResp(responder.respond(new byte[] {0x30, 0x03, 1, 2, 3})).getStatus())
        .isEqualTo(1);
  }

  private byte[] request(boolean nonce) throws Exception {
    return request(device.certificate().getSerialNumber(), nonce);
  }

  private byte[] request(java.math.BigInteger serial, boolean nonce) throws Exception {
    var id =
        new CertificateID(
            new JcaDigestCalculatorProviderBuilder().build().get(CertificateID.HASH_SHA1),
            new JcaX509CertificateHolder(ca.issuingCertificate()),
            serial);
    var builder = new OCSPReqBuilder().addRequest(id);
    if (nonce) {
      builder.setRequestExtensions(
          new Extensions(
              new Extension(
                  OCSPObjectIdentifiers.id_pkix_ocsp_nonce,
                  false,
                  new DEROctetString(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}).getEncoded())));
    }
    return builder.build().getEncoded();
  }

  private static BasicOCSPResp basic(byte[] der) throws Exception {
    OCSPResp response = new OCSPResp(der);
    assertThat(response.getStatus()).isZero();
    return (BasicOCSPResp) response.getResponseObject();
  }

  private static org.bouncycastle.cert.ocsp.SingleResp single(byte[] der) throws Exception {
    return basic(der).getResponses()[0];
  }

  /** A clock the test moves by hand. */
  private static final class MutableClock extends Clock {
    private Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    void advance(Duration by) {
      now = now.plus(by);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }
}
