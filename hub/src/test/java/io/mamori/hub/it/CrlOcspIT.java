package io.mamori.hub.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mamori.hub.pki.CertificateAuthorityFiles;
import io.mamori.hub.pki.CertificateIds;
import io.mamori.hub.pki.DeviceCertificateRequest;
import io.mamori.hub.pki.Pem;
import io.mamori.hub.revocation.CrlPublisher;
import java.math.BigInteger;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CRLs and OCSP as relying parties see them: fetched over plain HTTP from the URLs in the issued
 * certificates and checked by the real {@code openssl crl}, {@code openssl verify -crl_check} and
 * {@code openssl ocsp}.
 */
class CrlOcspIT {
  @TempDir Path dir;
  private HubFixture fixture;
  private Openssl openssl;
  private Path certs;
  private String certId;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws Exception {
    fixture = new HubFixture(dir.resolve("data")).start();
    certs = Files.createDirectories(dir.resolve("certs"));
    openssl = new Openssl(certs);
    assertThat(fixture.createPolicy("device", Policies.DEVICE).exitCode()).isZero();
    certId = fixture.issueDevice("sensor-1", "device", certs);
    Files.copy(pki("issuing-ca.crt"), certs.resolve("issuing.crt"));
    Files.copy(pki("root-ca.crt"), certs.resolve("root.crt"));
  }

  @AfterEach
  void stop() {
    fixture.close();
  }

  @Test
  void issuedCertificatePointsAtTheHubsCrlAndOcsp() throws Exception {
    var text = openssl.run("x509", "-in", "sensor-1.crt", "-noout", "-text").output();
    String base = "http://localhost:" + pkiPort();
    assertThat(text)
        .contains("X509v3 CRL Distribution Points")
        .contains("URI:" + base + "/crl/" + issuingId() + ".crl")
        .contains("OCSP - URI:" + base + "/ocsp")
        .contains("CA Issuers - URI:" + base + "/ca/" + issuingId() + ".crt");
    var issuing = openssl.run("x509", "-in", "issuing.crt", "-noout", "-text").output();
    assertThat(issuing).contains("URI:" + base + "/crl/" + rootId() + ".crl");
    var ocspSigner =
        openssl.run("x509", "-in", pki("ocsp-signer.crt").toString(), "-noout", "-text").output();
    assertThat(ocspSigner).contains("OCSP Signing").contains("OCSP No Check");
    assertThat(get("/ca/" + issuingId() + ".crt").body())
        .isEqualTo(certificate(certs.resolve("issuing.crt")).getEncoded());
  }

  @Test
  void crlIsAcceptedByOpensslAndListsARevocationWithItsReason() throws Exception {
    fetchCrl(issuingId(), "issuing.crl");
    fetchCrl(rootId(), "root.crl");
    var crl = openssl.run("crl", "-inform", "DER", "-in", "issuing.crl", "-noout", "-text");
    assertThat(crl.exitCode()).as(crl.output()).isZero();
    assertThat(crl.output()).contains("CRL Number").contains("No Revoked Certificates");
    assertThat(crl.output()).contains("Authority Key Identifier").contains("Next Update");
    assertThat(verify("-crl_check_all").output()).contains("sensor-1.crt: OK");
    BigInteger before = crlNumber();

    var bogus = fixture.cli("cert", "revoke", certId, "--reason", "lostInTheMail");
    assertThat(bogus.exitCode()).isNotZero();
    assertThat(bogus.err()).contains("revocationReason").contains("keyCompromise");
    assertThat(fixture.cli("cert", "show", certId).out()).contains("ACTIVE");
    var revoked = fixture.cli("cert", "revoke", certId, "--reason", "keyCompromise");
    assertThat(revoked.exitCode()).as(revoked.err()).isZero();

    await().atMost(Duration.ofSeconds(15)).until(() -> crlNumber().compareTo(before) > 0);
    fetchCrl(issuingId(), "issuing.crl");
    var after = openssl.run("crl", "-inform", "DER", "-in", "issuing.crl", "-noout", "-text");
    String serial = certificate(certs.resolve("sensor-1.crt")).getSerialNumber().toString(16);
    assertThat(after.output().toLowerCase()).contains(serial).contains("key compromise");
    var refused = verify("-crl_check");
    assertThat(refused.exitCode()).isNotZero();
    assertThat(refused.output()).contains("certificate revoked");
    assertThat(fixture.cli("cert", "show", certId).out())
        .contains("keyCompromise")
        .contains("revoked at");
  }

  @Test
  void crlNumbersKeepIncreasingAcrossRestarts() throws Exception {
    BigInteger first = crlNumber();
    fixture.restart();
    assertThat(crlNumber()).isGreaterThan(first);
  }

  @Test
  void ocspAnswersGoodThenRevokedWithReasonWithAndWithoutNonce() throws Exception {
    assertThat(ocsp("sensor-1.crt", "-no_nonce").output())
        .contains("Response verify OK")
        .contains("sensor-1.crt: good");
    var nonced = ocsp("sensor-1.crt", "-nonce");
    assertThat(nonced.output()).contains("Response verify OK").contains("sensor-1.crt: good");
    assertThat(fixture.hub().pkiPublication().ocsp().cachedCertificates()).isEqualTo(1);
    // the no-nonce answer above is now cached; revocation must evict it at once
    var revoked = fixture.cli("cert", "revoke", certId, "--reason", "superseded");
    assertThat(revoked.exitCode()).as(revoked.err()).isZero();
    for (String nonce : List.of("-no_nonce", "-nonce")) {
      var answer = ocsp("sensor-1.crt", nonce);
      assertThat(answer.output())
          .as(nonce)
          .contains("Response verify OK")
          .contains("sensor-1.crt: revoked")
          .contains("Reason: superseded")
          .contains("Revocation Time");
    }
  }

  @Test
  void ocspEchoesTheNonce() throws Exception {
    var answer = ocsp("sensor-1.crt", "-nonce");
    assertThat(answer.output()).contains("Response verify OK").doesNotContain("no nonce");
    assertThat(answer.output()).contains("OCSP Nonce");
  }

  @Test
  void ocspOverGetAnswersFromTheSameResponder() throws Exception {
    var made =
        openssl.run(
            "ocsp",
            "-issuer",
            "issuing.crt",
            "-cert",
            "sensor-1.crt",
            "-no_nonce",
            "-reqout",
            "req.der");
    assertThat(made.exitCode()).as(made.output()).isZero();
    String encoded =
        URLEncoder.encode(
            Base64.getEncoder().encodeToString(Files.readAllBytes(certs.resolve("req.der"))),
            StandardCharsets.UTF_8);
    var response = get("/ocsp/" + encoded);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type")).hasValue("application/ocsp-response");
    Files.write(certs.resolve("resp.der"), response.body());
    var checked =
        openssl.run(
            "ocsp",
            "-respin",
            "resp.der",
            "-issuer",
            "issuing.crt",
            "-cert",
            "sensor-1.crt",
            "-CAfile",
            "ca.crt",
            "-no_nonce");
    assertThat(checked.output()).contains("Response verify OK").contains("sensor-1.crt: good");
  }

  @Test
  void ocspSaysUnknownForACertificateTheRegistryDoesNotHave() throws Exception {
    // The hub's own TLS certificate is signed by the issuing CA but is no device certificate.
    Files.copy(pki("server.crt"), certs.resolve("server.crt"));
    assertThat(ocsp("server.crt", "-no_nonce").output()).contains("server.crt: unknown");
  }

  @Test
  void ocspRefusesACaItDoesNotServeAsUnauthorized() throws Exception {
    var other =
        new CertificateAuthorityFiles(dir.resolve("other-pki"), Clock.systemUTC())
            .loadOrCreate(List.of());
    var foreign =
        other.issueDeviceCertificate(
            new DeviceCertificateRequest("stranger", Optional.empty(), Duration.ofDays(1)));
    Files.writeString(certs.resolve("stranger.crt"), foreign.certificatePem());
    Files.writeString(
        certs.resolve("other-issuing.crt"), Pem.encodeCertificate(other.issuingCertificate()));
    var answer =
        openssl.run(
            "ocsp",
            "-issuer",
            "other-issuing.crt",
            "-cert",
            "stranger.crt",
            "-url",
            ocspUrl(),
            "-no_nonce");
    assertThat(answer.output()).contains("Responder Error: unauthorized (6)");
  }

  @Test
  void badRequestsGetMalformedRequestOr404() throws Exception {
    var garbage =
        http.send(
            HttpRequest.newBuilder(URI.create(base() + "/ocsp"))
                .header("Content-Type", "application/ocsp-request")
                .POST(HttpRequest.BodyPublishers.ofByteArray("not DER".getBytes()))
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(garbage.statusCode()).isEqualTo(200);
    Files.write(certs.resolve("bad.der"), garbage.body());
    assertThat(openssl.run("ocsp", "-respin", "bad.der", "-resp_text").output())
        .contains("Responder Error: malformedrequest (1)");
    assertThat(get("/ocsp/%25%25not-base64!").statusCode()).isEqualTo(200);
    assertThat(get("/nothing-here").statusCode()).isEqualTo(404);
    assertThat(get("/crl/" + "0".repeat(64) + ".crl").statusCode()).isEqualTo(404);
  }

  private Openssl.Result ocsp(String cert, String nonceOption) throws Exception {
    var result =
        openssl.run(
            "ocsp",
            "-issuer",
            "issuing.crt",
            "-cert",
            cert,
            "-url",
            ocspUrl(),
            "-CAfile",
            "ca.crt",
            nonceOption,
            "-resp_text");
    return result;
  }

  private Openssl.Result verify(String crlCheck) throws Exception {
    fetchCrl(issuingId(), "issuing.crl");
    fetchCrl(rootId(), "root.crl");
    for (String name : List.of("issuing", "root")) {
      var pem =
          openssl.run(
              "crl",
              "-inform",
              "DER",
              "-in",
              name + ".crl",
              "-outform",
              "PEM",
              "-out",
              name + "-crl.pem");
      assertThat(pem.exitCode()).as(pem.output()).isZero();
    }
    return openssl.run(
        "verify",
        crlCheck,
        "-CAfile",
        "ca.crt",
        "-CRLfile",
        "issuing-crl.pem",
        "-CRLfile",
        "root-crl.pem",
        "-purpose",
        "sslclient",
        "sensor-1.crt");
  }

  private void fetchCrl(String caId, String file) throws Exception {
    var response = get("/crl/" + caId + ".crl");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type")).hasValue("application/pkix-crl");
    Files.write(certs.resolve(file), response.body());
  }

  private BigInteger crlNumber() throws Exception {
    return publisher().crl(issuingId()).orElseThrow().number();
  }

  private CrlPublisher publisher() {
    return fixture.hub().pkiPublication().crls();
  }

  private HttpResponse<byte[]> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(base() + path)).GET().build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  private String base() {
    return "http://127.0.0.1:" + pkiPort();
  }

  private String ocspUrl() {
    return base() + "/ocsp";
  }

  private int pkiPort() {
    return fixture.hub().pkiPublication().port();
  }

  private Path pki(String file) {
    return fixture.dataDir().resolve("pki").resolve(file);
  }

  private String issuingId() throws Exception {
    return CertificateIds.of(certificate(pki("issuing-ca.crt")));
  }

  private String rootId() throws Exception {
    return CertificateIds.of(certificate(pki("root-ca.crt")));
  }

  private static X509Certificate certificate(Path file) throws Exception {
    return Pem.parseCertificates(Files.readString(file)).get(0);
  }
}
