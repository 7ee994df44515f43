package io.mamori.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mamori.hub.pki.Pem;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;

/**
 * Registers the bench's policies and devices in the hub through its admin API (the hub's own CA
 * issues every device certificate) and keeps the key and certificate files in a cache directory, so
 * later runs reuse them. Also the client for the Mamori-only scenarios (issuance, revocation).
 */
final class Provisioner {
  static final String CONTROLLER = "bench-controller";
  static final String DEVICE_POLICY = "bench-device";
  static final String CONTROLLER_POLICY = "bench-controller";

  /**
   * A device may connect as its own thing, or with an {@code idle-} client id (the idle-connection
   * scenario opens more connections than there are certificates); publish under its own topics and
   * listen on the fleet broadcast topics.
   */
  static final String DEVICE_POLICY_DOCUMENT =
      """
      {"Version":"2012-10-17","Statement":[
       {"Effect":"Allow","Action":"iot:Connect",
        "Resource":"arn:aws:iot:*:*:client/${iot:Connection.Thing.ThingName}",
        "Condition":{"Bool":{"iot:Connection.Thing.IsAttached":"true"}}},
       {"Effect":"Allow","Action":"iot:Connect","Resource":"arn:aws:iot:*:*:client/idle-*"},
       {"Effect":"Allow","Action":"iot:Publish","Resource":"arn:aws:iot:*:*:topic/devices/${iot:ClientId}/*"},
       {"Effect":"Allow","Action":"iot:Subscribe","Resource":"arn:aws:iot:*:*:topicfilter/fleet/*"},
       {"Effect":"Allow","Action":"iot:Receive","Resource":"arn:aws:iot:*:*:topic/fleet/*"}]}
      """;

  static final String CONTROLLER_POLICY_DOCUMENT =
      """
      {"Version":"2012-10-17","Statement":[
       {"Effect":"Allow","Action":"iot:Connect","Resource":"arn:aws:iot:*:*:client/bench-controller"},
       {"Effect":"Allow","Action":"iot:Subscribe","Resource":"arn:aws:iot:*:*:topicfilter/devices/*"},
       {"Effect":"Allow","Action":"iot:Receive","Resource":"arn:aws:iot:*:*:topic/devices/*"},
       {"Effect":"Allow","Action":"iot:Publish","Resource":"arn:aws:iot:*:*:topic/fleet/*"}]}
      """;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final String apiUrl;
  private final String token;
  private final HttpClient http;
  private final List<X509Certificate> caChain;
  private final Path deviceDir;

  Provisioner(MamoriProcess hub, Path deviceDir) throws Exception {
    this.apiUrl = hub.apiUrl();
    this.token = hub.adminToken();
    this.deviceDir = deviceDir;
    this.caChain = Pem.parseCertificates(Files.readString(hub.caChain()));
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    for (int i = 0; i < caChain.size(); i++) {
      trust.setCertificateEntry("ca" + i, caChain.get(i));
    }
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(null, tmf.getTrustManagers(), null);
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .sslContext(ssl)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
  }

  /** Creates the bench policies (once) and every missing device; returns devices 0..count-1. */
  List<Device> devices(int count, int parallelism) throws Exception {
    ensurePolicy(DEVICE_POLICY, DEVICE_POLICY_DOCUMENT);
    ensurePolicy(CONTROLLER_POLICY, CONTROLLER_POLICY_DOCUMENT);
    Files.createDirectories(deviceDir);
    ExecutorService pool = Executors.newFixedThreadPool(parallelism);
    try {
      List<Future<Device>> futures = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        String name = deviceName(i);
        futures.add(pool.submit(() -> cachedOrIssued(name, DEVICE_POLICY)));
      }
      List<Device> devices = new ArrayList<>(count);
      for (Future<Device> future : futures) {
        devices.add(future.get());
      }
      return devices;
    } finally {
      pool.shutdownNow();
    }
  }

  /** Whether every device's files are cached, so no hub is needed to provision them. */
  static boolean cached(Path deviceDir, int count) {
    for (int i = -1; i < count; i++) {
      String name = i < 0 ? CONTROLLER : deviceName(i);
      if (!Files.exists(deviceDir.resolve(name + ".crt"))
          || !Files.exists(deviceDir.resolve(name + ".key"))) {
        return false;
      }
    }
    return true;
  }

  Device controller() throws Exception {
    return cachedOrIssued(CONTROLLER, CONTROLLER_POLICY);
  }

  static String deviceName(int i) {
    return String.format("bench-dev-%05d", i);
  }

  /** Creates a thing and issues it a certificate (key made by the hub); returns the cert id. */
  IssuedDevice issue(String thingName, String policy) throws IOException {
    ObjectNode thing = JSON.createObjectNode().put("name", thingName);
    call("POST", "/api/v1/things", thing, 201, 409);
    ObjectNode request =
        JSON.createObjectNode().put("thingName", thingName).put("policyName", policy);
    JsonNode issued = call("POST", "/api/v1/certificates", request, 201);
    return new IssuedDevice(
        thingName,
        issued.path("certificateId").asText(),
        issued.path("certificatePem").asText(),
        issued.path("privateKeyPem").asText());
  }

  record IssuedDevice(String name, String certificateId, String certificatePem, String keyPem) {}

  void revoke(String certificateId) throws IOException {
    call(
        "PUT",
        "/api/v1/certificates/" + certificateId + "/status",
        JSON.createObjectNode().put("status", "REVOKED"),
        200);
  }

  Device device(IssuedDevice issued) throws SSLException {
    return new Device(
        issued.name(),
        clientTls(
            Pem.parsePrivateKey(issued.keyPem()), Pem.parseCertificate(issued.certificatePem())));
  }

  private Device cachedOrIssued(String name, String policy) throws Exception {
    Path crt = deviceDir.resolve(name + ".crt");
    Path key = deviceDir.resolve(name + ".key");
    if (!Files.exists(crt) || !Files.exists(key)) {
      IssuedDevice issued = issue(name, policy);
      Files.writeString(key, issued.keyPem());
      Files.writeString(crt, issued.certificatePem());
    }
    return new Device(
        name,
        clientTls(
            Pem.parsePrivateKey(Files.readString(key)),
            Pem.parseCertificate(Files.readString(crt))));
  }

  /**
   * The devices' TLS: Conscrypt (BoringSSL), so that the load generator's own P-256 work does not
   * cap the connect rate it can measure (with the JDK engine it used 1.5 cores for Mosquitto's 160
   * conn/s on a 2-core machine).
   */
  private SslContext clientTls(PrivateKey key, X509Certificate certificate) throws SSLException {
    try {
      return SslContextBuilder.forClient()
          .sslProvider(SslProvider.JDK)
          .sslContextProvider(org.conscrypt.Conscrypt.newProvider())
          .keyManager(key, certificate)
          .trustManager(new BrokerTrust(caChain))
          .protocols("TLSv1.3")
          .build();
    } catch (java.security.GeneralSecurityException e) {
      throw new SSLException("cannot build the devices' TLS context: " + e.getMessage(), e);
    }
  }

  private void ensurePolicy(String name, String document) throws IOException {
    call(
        "POST",
        "/api/v1/policies",
        JSON.createObjectNode().put("name", name).put("document", document),
        201,
        409);
  }

  private JsonNode call(String method, String path, JsonNode body, int... expected)
      throws IOException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(apiUrl + path))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .timeout(Duration.ofSeconds(60))
            .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
            .build();
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    for (int status : expected) {
      if (response.statusCode() == status) {
        String text = response.body();
        return text == null || text.isBlank() ? JSON.createObjectNode() : JSON.readTree(text);
      }
    }
    throw new IOException(
        method + " " + path + " answered " + response.statusCode() + ": " + response.body());
  }
}
