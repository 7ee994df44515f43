package io.mamori.hub.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.mamori.hub.events.HubEvent;
import io.mamori.hub.firmware.DownloadUrls;
import io.mamori.hub.pki.Pem;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Firmware on the hub over real sockets: uploads through the CLI, the OTA document a device gets
 * over MQTT (HiveMQ client) with its own download URL, HTTPS downloads that only that URL unlocks
 * (another thing's, an expired or an altered one is a 403), and images, records and URL key that
 * survive a restart.
 */
class FirmwareIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private HubFixture hub;
  private DeviceClients clients;
  private HttpClient https;
  private final List<HubEvent> events = new CopyOnWriteArrayList<>();
  private Mqtt5BlockingClient device;

  @BeforeEach
  void start() throws Exception {
    hub = new HubFixture(dir.resolve("data")).start();
    hub.hub().events().subscribe(events::add);
    Path certs = dir.resolve("certs");
    assertThat(hub.createPolicy("device-policy", ShadowIT.DEVICE_POLICY).exitCode()).isZero();
    hub.issueDevice("cam1", "device-policy", certs);
    hub.issueDevice("cam2", "device-policy", certs);
    clients = new DeviceClients(hub.mqttPort(), certs);
    // A device trusts the hub's CA and nothing else; it sends no admin token.
    https =
        HttpClient.newBuilder()
            .sslContext(AdminHttps.trusting(hub.dataDir().resolve("pki/ca-chain.pem")))
            .build();
  }

  @AfterEach
  void stop() {
    if (device != null && device.getState().isConnected()) {
      device.disconnect();
    }
    hub.close();
  }

  @Test
  void aDeviceDownloadsItsSignedImageWithItsOwnUrlOnly() throws Exception {
    byte[] image = new byte[20_000];
    new SecureRandom().nextBytes(image);
    String id = upload(image, "2.1.0");

    var created = hub.cli("job", "create", "ota1", "--ota", id, "--targets", "cam1,cam2");
    assertThat(created.exitCode()).as(created.err()).isZero();
    // Operators see the stored document, with the placeholder, never a device's URL.
    var described = JSON.readTree(hub.cli("job", "describe", "ota1", "--json").out());
    assertThat(described.path("document").path("firmware").path("url").asText())
        .isEqualTo("${mamori:firmware-url:" + id + "}");

    JsonNode firmware = jobDocumentOf("cam1", "ota1").path("firmware");
    assertThat(firmware.path("sha256").asText()).isEqualTo(id);
    assertThat(firmware.path("size").asLong()).isEqualTo(image.length);
    String url = firmware.path("url").asText();
    assertThat(url).startsWith(hub.hub().apiUrl() + "/api/v1/firmware/" + id + "/download?");
    assertThat(url).contains("thing=cam1");

    HttpResponse<byte[]> ok = download(url);
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(ok.body()).isEqualTo(image);
    // The signature verifies with the published code-signing certificate, which is no CA's.
    X509Certificate signing = signingCertificate();
    Signature verifier = Signature.getInstance("SHA256withECDSA");
    verifier.initVerify(signing.getPublicKey());
    verifier.update(ok.body());
    assertThat(verifier.verify(Base64.getDecoder().decode(firmware.path("signature").asText())))
        .isTrue();
    assertThat(signing.getBasicConstraints()).isEqualTo(-1);
    assertThat(signing.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.3");
    for (var ca :
        Pem.parseCertificates(Files.readString(hub.dataDir().resolve("pki/ca-chain.pem")))) {
      assertThat(ca.getPublicKey()).isNotEqualTo(signing.getPublicKey());
    }

    // cam1's URL used for cam2, another firmware, without or with a broken signature: 403.
    assertThat(download(url.replace("thing=cam1", "thing=cam2")).statusCode()).isEqualTo(403);
    String other = upload(new byte[] {1, 2, 3}, "9.9.9");
    assertThat(download(url.replace(id, other)).statusCode()).isEqualTo(403);
    assertThat(download(url.substring(0, url.indexOf("&signature="))).statusCode()).isEqualTo(403);
    String signature = url.substring(url.indexOf("&signature=") + "&signature=".length());
    String altered = (signature.charAt(0) == 'A' ? "B" : "A") + signature.substring(1);
    assertThat(download(url.replace(signature, altered)).statusCode()).isEqualTo(403);
    // A genuinely signed URL that has expired (signed with the hub's own key file): 403.
    String expired =
        hub.hub().apiUrl()
            + "/api/v1/firmware/"
            + id
            + "/download?"
            + DownloadUrls.loadOrCreate(
                    hub.dataDir().resolve("firmware"), Duration.ofSeconds(-60), Clock.systemUTC())
                .query(id, "cam1");
    HttpResponse<byte[]> refused = download(expired);
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(new String(refused.body(), StandardCharsets.UTF_8)).contains("expired");
    assertThat(events)
        .anyMatch(
            e ->
                e.type().equals("firmware.download")
                    && e.outcome().equals(HubEvent.DENIED)
                    && e.reason().contains("expired"));
  }

  @Test
  void imagesRecordsAndUrlKeySurviveARestart() throws Exception {
    byte[] image = "firmware 1.0".getBytes(StandardCharsets.UTF_8);
    String id = upload(image, "1.0");
    assertThat(hub.dataDir().resolve("firmware").resolve(id)).hasBinaryContent(image);
    String query =
        DownloadUrls.loadOrCreate(
                hub.dataDir().resolve("firmware"), Duration.ofMinutes(5), Clock.systemUTC())
            .query(id, "cam1");

    hub.restart();

    var list = hub.cli("firmware", "list", "--json");
    assertThat(list.exitCode()).as(list.err()).isZero();
    JsonNode listed = JSON.readTree(list.out()).path("firmware").get(0);
    assertThat(listed.path("firmwareId").asText()).isEqualTo(id);
    assertThat(listed.path("version").asText()).isEqualTo("1.0");
    assertThat(listed.path("size").asLong()).isEqualTo(image.length);
    HttpResponse<byte[]> again =
        download(hub.hub().apiUrl() + "/api/v1/firmware/" + id + "/download?" + query);
    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(again.body()).isEqualTo(image);

    // Versions and images are unique; bad input is a clear refusal.
    Path file = dir.resolve("same.bin");
    Files.write(file, image);
    var sameBytes = hub.cli("firmware", "upload", file.toString(), "--version", "1.1");
    assertThat(sameBytes.exitCode()).isNotZero();
    assertThat(sameBytes.err()).contains("already uploaded as version 1.0");
    Files.write(file, new byte[] {9});
    var sameVersion = hub.cli("firmware", "upload", file.toString(), "--version", "1.0");
    assertThat(sameVersion.exitCode()).isNotZero();
    assertThat(sameVersion.err()).contains("version 1.0 exists");
    var badVersion = hub.cli("firmware", "upload", file.toString(), "--version", "1 0");
    assertThat(badVersion.exitCode()).isNotZero();
    assertThat(badVersion.err()).contains("version must be");
    var unknown = hub.cli("job", "create", "j", "--ota", "0".repeat(64), "--targets", "cam1");
    assertThat(unknown.exitCode()).isNotZero();
    assertThat(unknown.err()).contains("not found");
  }

  private String upload(byte[] content, String version) throws Exception {
    Path file = Files.createTempFile(dir, "fw", ".bin");
    Files.write(file, content);
    var uploaded = hub.cli("firmware", "upload", file.toString(), "--version", version);
    assertThat(uploaded.exitCode()).as(uploaded.err()).isZero();
    return uploaded.id();
  }

  private HttpResponse<byte[]> download(String url) throws Exception {
    return https.send(
        HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private X509Certificate signingCertificate() throws Exception {
    // Public: a device fetches it without the admin token to pin it.
    HttpResponse<String> pem =
        https.send(
            HttpRequest.newBuilder(
                    URI.create(hub.hub().apiUrl() + "/api/v1/firmware/signing-certificate"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(pem.statusCode()).isEqualTo(200);
    assertThat(hub.cli("firmware", "signing-cert").out()).isEqualTo(pem.body());
    return Pem.parseCertificate(pem.body());
  }

  /** DescribeJobExecution over MQTT as the device itself (reference §3.2). */
  private JsonNode jobDocumentOf(String thing, String jobId) throws Exception {
    device = clients.mqtt5(thing, thing);
    device.connect();
    String topic = "$aws/things/" + thing + "/jobs/" + jobId + "/get";
    try (var publishes = device.publishes(com.hivemq.client.mqtt.MqttGlobalPublishFilter.ALL)) {
      device.subscribeWith().topicFilter(topic + "/+").qos(MqttQos.AT_LEAST_ONCE).send();
      device
          .publishWith()
          .topic(topic)
          .qos(MqttQos.AT_LEAST_ONCE)
          .payload("{\"clientToken\":\"d1\"}".getBytes(StandardCharsets.UTF_8))
          .send();
      Mqtt5Publish answer = publishes.receive(15, TimeUnit.SECONDS).orElseThrow();
      assertThat(answer.getTopic().toString()).isEqualTo(topic + "/accepted");
      return JSON.readTree(answer.getPayloadAsBytes()).path("execution").path("jobDocument");
    }
  }
}
