package io.mamori.hub.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mamori.hub.pki.Openssl;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CA passphrase as an operator meets it: `mamori serve` refusing to start, and no key leak. */
class CaKeysIT {
  @TempDir Path temp;

  @Test
  void wrongOrMissingPassphraseStopsTheHubWithAOneLineReason() throws Exception {
    Path data = temp.resolve("data");
    try (HubProcess hub =
        HubProcess.start(data, Map.of("MAMORI_CA_PASSPHRASE", "the operator's secret"))) {
      hub.awaitRunning();
      assertThat(hub.output()).doesNotContain("PROTECTED BY FILE PERMISSIONS ONLY");
    }
    assertThat(data.resolve("ca-passphrase")).doesNotExist();

    HubProcess wrong = HubProcess.start(data, Map.of("MAMORI_CA_PASSPHRASE", "a guess"));
    assertThat(wrong.awaitExit()).isNotZero();
    assertThat(lastLine(wrong.output()))
        .startsWith("mamori: cannot decrypt ")
        .contains("root-ca.key", "env MAMORI_CA_PASSPHRASE", "wrong passphrase");
    assertThat(wrong.output()).doesNotContain("a guess").doesNotContain("operator's secret");
    assertThat(data.resolve("endpoint.json")).doesNotExist();

    HubProcess missing = HubProcess.start(data, Map.of());
    assertThat(missing.awaitExit()).isNotZero();
    assertThat(lastLine(missing.output()))
        .startsWith("mamori: CA private key ")
        .contains("is encrypted and no passphrase was given", "--ca-passphrase-file");
    assertThat(data.resolve("ca-passphrase"))
        .as("never generated over encrypted keys")
        .doesNotExist();

    Path file = temp.resolve("passphrase");
    Files.writeString(file, "the operator's secret\n");
    try (HubProcess fromFile =
        HubProcess.start(data, Map.of(), "--ca-passphrase-file", file.toString())) {
      fromFile.awaitRunning();
    }
  }

  @Test
  void noPrivateKeyOrPassphraseInApiResponsesOrLogs() throws Exception {
    Openssl.requireInstalled();
    Path data = temp.resolve("data");
    try (HubProcess hub = HubProcess.start(data, Map.of())) {
      hub.awaitRunning();
      assertThat(hub.output()).contains("PROTECTED BY FILE PERMISSIONS ONLY");
      Path certs = temp.resolve("certs");
      Files.createDirectories(certs);
      Path csr = certs.resolve("sensor.csr");
      var made =
          Openssl.run(
              "req",
              "-new",
              "-newkey",
              "ec",
              "-pkeyopt",
              "ec_paramgen_curve:P-256",
              "-nodes",
              "-keyout",
              certs.resolve("sensor.key").toString(),
              "-out",
              csr.toString(),
              "-subj",
              "/CN=sensor");
      assertThat(made.exitCode()).as(made.output()).isZero();
      assertThat(hub.cli("thing", "create", "sensor").exitCode()).isZero();
      assertThat(hub.cli("thing", "create", "gadget").exitCode()).isZero();
      var fromCsr =
          hub.cli(
              "cert",
              "issue",
              "--thing",
              "sensor",
              "--csr",
              csr.toString(),
              "--out",
              certs.toString());
      assertThat(fromCsr.exitCode()).as(fromCsr.err()).isZero();
      // The hub makes this device's key pair and hands it over once: that is not a CA key.
      var generated = hub.cli("cert", "issue", "--thing", "gadget", "--out", certs.toString());
      assertThat(generated.exitCode()).as(generated.err()).isZero();

      List<String> bodies = new ArrayList<>();
      for (String cli : List.of("cert list --json", "thing list --json", "ca cert")) {
        var result = hub.cli(cli.split(" "));
        bodies.add(result.out() + result.err());
      }
      bodies.addAll(getEveryRoute(data, fromCsr.out().strip(), "sensor"));

      String secret = Files.readString(data.resolve("ca-passphrase")).strip();
      for (String body : bodies) {
        assertThat(body).doesNotContain("PRIVATE KEY").doesNotContain(secret);
      }
      assertThat(hub.output()).doesNotContain("PRIVATE KEY").doesNotContain(secret);
      assertThat(bodies).anyMatch(b -> b.contains("BEGIN CERTIFICATE"));
    }
  }

  /** GETs every GET route of the OpenAPI document, path parameters filled with real ids. */
  private static List<String> getEveryRoute(Path data, String certificateId, String thing)
      throws Exception {
    ObjectMapper json = new ObjectMapper();
    JsonNode endpoint = json.readTree(data.resolve("endpoint.json").toFile());
    String api = endpoint.path("api").path("url").asText();
    String token = Files.readString(data.resolve("admin.token")).strip();
    HttpClient client = HttpClient.newBuilder().sslContext(trusting(data)).build();
    JsonNode openapi = json.readTree(get(client, api + "/api/v1/openapi.json", token));
    List<String> bodies = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> paths = openapi.path("paths").fields();
        paths.hasNext(); ) {
      var path = paths.next();
      if (!path.getValue().has("get")) {
        continue;
      }
      String url =
          path.getKey()
              .replaceAll("\\{(id|certificateId)\\}", certificateId)
              .replaceAll("\\{[a-zA-Z]+\\}", thing);
      bodies.add(get(client, api + url, token));
    }
    assertThat(bodies).hasSizeGreaterThan(3);
    return bodies;
  }

  private static String get(HttpClient client, String url, String token) throws Exception {
    var request =
        HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token).build();
    return client.send(request, HttpResponse.BodyHandlers.ofString()).body();
  }

  private static SSLContext trusting(Path data) throws Exception {
    KeyStore anchors = KeyStore.getInstance("PKCS12");
    anchors.load(null, null);
    var factory = CertificateFactory.getInstance("X.509");
    int i = 0;
    try (var in = Files.newInputStream(data.resolve("pki/ca-chain.pem"))) {
      for (var certificate : factory.generateCertificates(in)) {
        anchors.setCertificateEntry("ca" + i++, certificate);
      }
    }
    var trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(anchors);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, trust.getTrustManagers(), null);
    return context;
  }

  static String lastLine(String output) {
    String[] lines = output.strip().split("\n");
    return lines[lines.length - 1];
  }
}
