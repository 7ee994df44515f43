package io.mamori.hub.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mamori.hub.events.HubEvent;
import io.mamori.hub.pki.CertificateAuthority;
import io.mamori.hub.pki.CertificateAuthorityFiles;
import io.mamori.hub.registry.CertificateService;
import io.mamori.hub.registry.PolicyService;
import io.mamori.hub.registry.ThingService;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A real admin API for tests: a real CA in {@code dataDir/pki}, the registry services over SQLite
 * in {@code dataDir}, the server on an ephemeral port, and an HTTPS client trusting the CA chain.
 */
public final class ApiTestHub implements AutoCloseable {
  public static final String TOKEN_FILE = "admin.token";

  public final Path dataDir;
  public final CertificateAuthority authority;
  public final ThingService things;
  public final CertificateService certificates;
  public final PolicyService policies;
  public final String token;
  private final AutoCloseable database;
  public final AdminApiServer server;
  public final List<String[]> testerCalls = new ArrayList<>();
  public final List<HubEvent> events = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final HttpClient http;
  private final ObjectMapper json = new ObjectMapper();

  public ApiTestHub(Path dataDir) throws Exception {
    this.dataDir = dataDir;
    this.authority =
        new CertificateAuthorityFiles(dataDir.resolve("pki"), Clock.systemUTC())
            .loadOrCreate(List.of());
    var services = TestRegistry.open(dataDir, authority, events::add);
    this.things = services.things();
    this.certificates = services.certificates();
    this.policies = services.policies();
    this.database = services.database();
    this.token = AdminToken.loadOrCreate(dataDir.resolve(TOKEN_FILE)).value();
    PolicyTester tester =
        (certificateId, action, resource, clientId) -> {
          certificates.get(certificateId);
          testerCalls.add(new String[] {certificateId, action, resource, clientId.orElse("")});
          return new PolicyTestResult(
              true,
              PolicyTestResult.ALLOW,
              Optional.of("p"),
              Optional.of(0),
              "arn:aws:iot:local:000000000000:" + resource,
              "statement 0 of policy p allows " + action);
        };
    this.server =
        new AdminApiServer(
            "127.0.0.1",
            0,
            authority.serverIdentity(),
            token,
            things,
            certificates,
            policies,
            authority,
            tester,
            events::add,
            Clock.systemUTC());
    server.start();
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .sslContext(trusting(dataDir.resolve("pki/ca-chain.pem")))
            .build();
  }

  public String url() {
    return "https://127.0.0.1:" + server.port();
  }

  public Path caChain() {
    return dataDir.resolve("pki/ca-chain.pem");
  }

  /** An answer: status, raw body, parsed JSON (missing node when empty). */
  public record Answer(int status, String body, JsonNode json, HttpResponse<String> raw) {}

  public Answer send(String method, String path, Optional<String> body, Optional<String> bearer)
      throws Exception {
    var request =
        HttpRequest.newBuilder(URI.create(url() + path))
            .method(
                method,
                body.map(HttpRequest.BodyPublishers::ofString)
                    .orElse(HttpRequest.BodyPublishers.noBody()));
    bearer.ifPresent(t -> request.header("Authorization", "Bearer " + t));
    body.ifPresent(b -> request.header("Content-Type", "application/json"));
    HttpResponse<String> response =
        http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    JsonNode node =
        response.body().isEmpty()
            ? com.fasterxml.jackson.databind.node.MissingNode.getInstance()
            : json.readTree(response.body());
    return new Answer(response.statusCode(), response.body(), node, response);
  }

  public Answer get(String path) throws Exception {
    return send("GET", path, Optional.empty(), Optional.of(token));
  }

  public Answer post(String path, String body) throws Exception {
    return send("POST", path, Optional.of(body), Optional.of(token));
  }

  public Answer put(String path, String body) throws Exception {
    return send("PUT", path, Optional.of(body), Optional.of(token));
  }

  public Answer delete(String path) throws Exception {
    return send("DELETE", path, Optional.empty(), Optional.of(token));
  }

  static SSLContext trusting(Path pem) throws Exception {
    KeyStore anchors = KeyStore.getInstance("PKCS12");
    anchors.load(null, null);
    try (InputStream in = Files.newInputStream(pem)) {
      int i = 0;
      for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        anchors.setCertificateEntry("ca" + i++, c);
      }
    }
    TrustManagerFactory trust =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(anchors);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, trust.getTrustManagers(), null);
    return context;
  }

  @Override
  public void close() throws Exception {
    server.close();
    database.close();
  }
}
