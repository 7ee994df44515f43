package io.mamori.hub.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.mamori.hub.events.HubEvent;
import io.mamori.hub.pki.CertificateIds;
import io.mamori.hub.pki.Pem;
import io.mamori.hub.revocation.PkiPublication;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The delegated OCSP signing certificate is renewed while the hub runs, on the hub's clock, and
 * answers signed by the new one verify with the real {@code openssl ocsp} against the CA.
 */
class OcspSignerRenewalIT {
  @TempDir Path dir;
  private HubFixture fixture;

  @AfterEach
  void stop() {
    if (fixture != null) {
      fixture.close();
    }
  }

  @Test
  void signerIsRenewedWithAThirdOfItsLifeLeftAndCachedAnswersAreResigned() throws Exception {
    io.mamori.hub.pki.Openssl.requireInstalled();
    MovableClock clock = new MovableClock();
    fixture = new HubFixture(dir.resolve("data")).withClock(clock).start();
    List<HubEvent> renewals = new CopyOnWriteArrayList<>();
    fixture
        .hub()
        .events()
        .subscribe(
            e -> {
              if (e.type().equals(PkiPublication.OCSP_SIGNER_RENEWED)) {
                renewals.add(e);
              }
            });
    Path certs = Files.createDirectories(dir.resolve("certs"));
    Openssl openssl = new Openssl(certs);
    assertThat(fixture.createPolicy("device", Policies.DEVICE).exitCode()).isZero();
    fixture.issueDevice("sensor-1", "device", certs);
    Files.copy(pki("issuing-ca.crt"), certs.resolve("issuing.crt"));
    X509Certificate first = responderCertificate();

    assertThat(ocsp(openssl, clock, "before.der").output())
        .contains("Response verify OK", "sensor-1.crt: good");
    assertThat(signerOf(certs.resolve("before.der"))).isEqualTo(first);
    assertThat(publication().ocsp().cachedCertificates()).isEqualTo(1);

    clock.advance(Duration.ofDays(59));
    assertThat(publication().renewOcspSignerIfDue())
        .as("two thirds of 90 days not yet gone")
        .isEmpty();
    assertThat(renewals).isEmpty();

    clock.advance(Duration.ofDays(2));
    assertThat(publication().renewOcspSignerIfDue()).isPresent();
    X509Certificate renewed = responderCertificate();
    assertThat(renewed).isNotEqualTo(first);
    assertThat(Files.readString(pki("ocsp-signer.key")))
        .as("encrypted at rest like the CA keys")
        .startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----");
    assertThat(renewals)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.outcome()).isEqualTo(HubEvent.SUCCESS);
              assertThat(e.subject()).isEqualTo(CertificateIds.of(renewed));
              assertThat(e.details())
                  .containsEntry("previousCertificateId", CertificateIds.of(first))
                  .containsEntry("resignedResponses", "1");
            });

    // The cached answer was re-signed: the same request is answered by the new responder, and
    // openssl verifies it against the CA at the hub's (moved) time.
    var after = ocsp(openssl, clock, "after.der");
    assertThat(after.output()).contains("Response verify OK", "sensor-1.crt: good");
    assertThat(signerOf(certs.resolve("after.der"))).isEqualTo(renewed);
    assertThat(publication().renewOcspSignerIfDue()).as("renewed once only").isEmpty();

    fixture.restart();
    assertThat(responderCertificate()).as("kept across a restart").isEqualTo(renewed);
  }

  private Openssl.Result ocsp(Openssl openssl, MovableClock clock, String responseFile)
      throws Exception {
    return openssl.run(
        "ocsp",
        "-issuer",
        "issuing.crt",
        "-cert",
        "sensor-1.crt",
        "-url",
        "http://127.0.0.1:" + publication().port() + "/ocsp",
        "-CAfile",
        "ca.crt",
        "-no_nonce",
        // The hub's clock runs ahead of the real one: check certificates and thisUpdate there.
        "-attime",
        Long.toString(clock.instant().getEpochSecond()),
        "-validity_period",
        Long.toString(Duration.ofDays(400).toSeconds()),
        "-respout",
        responseFile);
  }

  private static X509Certificate signerOf(Path responseFile) throws Exception {
    var basic = (BasicOCSPResp) new OCSPResp(Files.readAllBytes(responseFile)).getResponseObject();
    byte[] der = basic.getCerts()[0].getEncoded();
    return (X509Certificate)
        java.security.cert.CertificateFactory.getInstance("X.509")
            .generateCertificate(new java.io.ByteArrayInputStream(der));
  }

  private X509Certificate responderCertificate() throws Exception {
    return Pem.parseCertificates(Files.readString(pki("ocsp-signer.crt"))).get(0);
  }

  private PkiPublication publication() {
    return fixture.hub().pkiPublication();
  }

  private Path pki(String file) {
    return fixture.dataDir().resolve("pki").resolve(file);
  }
}
