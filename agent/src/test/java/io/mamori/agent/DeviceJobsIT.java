package io.mamori.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mamori.agent.cli.AgentMain;
import io.mamori.agent.connection.DeviceConnection;
import io.mamori.agent.connection.Endpoint;
import io.mamori.agent.credentials.DeviceCredentials;
import io.mamori.hub.events.HubEvent;
import io.mamori.hub.it.HubFixture;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reference agent ({@code mamori-agent run}) against a real hub over MQTT/mTLS and HTTPS: a
 * signed OTA is downloaded, verified and installed; tampered images are refused and reported
 * FAILED; reboot, config and factory reset jobs end as the operator expects, the last one with the
 * device's certificate revoked and detached so that its old key cannot connect again.
 */
class DeviceJobsIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The AWS-recommended device policy (reference §5.5): its own thing's topics only. */
  static final String DEVICE =
      """
      {"Version": "2012-10-17", "Statement": [
       {"Effect": "Allow", "Action": "iot:Connect",
        "Resource": "arn:aws:iot:*:*:client/${iot:Connection.Thing.ThingName}",
        "Condition": {"Bool": {"iot:Connection.Thing.IsAttached": "true"}}},
       {"Effect": "Allow", "Action": ["iot:Publish", "iot:Receive"],
        "Resource": "arn:aws:iot:*:*:topic/$aws/things/${iot:Connection.Thing.ThingName}/*"},
       {"Effect": "Allow", "Action": "iot:Subscribe",
        "Resource": "arn:aws:iot:*:*:topicfilter/$aws/things/${iot:Connection.Thing.ThingName}/*"}]}
      """;

  @TempDir Path dir;
  private HubFixture hub;
  private Path certs;
  private Path signingCert;
  private final List<HubEvent> events = new CopyOnWriteArrayList<>();
  private final ExecutorService agents = Executors.newCachedThreadPool();
  private final List<Future<Run>> running = new ArrayList<>();

  private record Run(int exitCode, String out, String err) {}

  @BeforeEach
  void start() throws Exception {
    hub = new HubFixture(dir.resolve("hub")).start();
    hub.hub().events().subscribe(events::add);
    certs = dir.resolve("certs");
    assertThat(hub.createPolicy("device", DEVICE).exitCode()).isZero();
    var pem = hub.cli("firmware", "signing-cert");
    assertThat(pem.exitCode()).as(pem.err()).isZero();
    assertThat(pem.out()).contains("BEGIN CERTIFICATE");
    signingCert = dir.resolve("code-signing.crt");
    Files.writeString(signingCert, pem.out());
  }

  @AfterEach
  void stop() {
    running.forEach(f -> f.cancel(true));
    agents.shutdownNow();
    hub.close();
  }

  @Test
  void aSignedUpdateIsDownloadedVerifiedAndInstalledThenTamperedOnesAreRefused() throws Exception {
    hub.issueDevice("cam1", "device", certs);
    Path data = dir.resolve("cam1-data");
    byte[] image = randomBytes(48 * 1024);
    String v1 = upload(image, "1.0.0");
    startAgent("cam1", data);

    createJob("ota1", "--ota", v1, "--targets", "cam1");
    JsonNode done = awaitFinished("ota1");
    assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("SUCCEEDED");
    assertThat(done.path("statusDetails").path("version").asText()).isEqualTo("1.0.0");
    assertThat(done.path("statusDetails").path("slot").asText()).isEqualTo("a");
    assertThat(Files.readString(data.resolve("firmware/active"))).isEqualTo("a");
    assertThat(Files.readAllBytes(data.resolve("firmware/a/image.bin"))).isEqualTo(image);
    assertThat(events)
        .anyMatch(
            e ->
                e.type().equals("firmware.download")
                    && e.outcome().equals(HubEvent.SUCCESS)
                    && e.actor().equals("cam1"));

    // The same length, one byte changed, uploaded as another version: a document that names the
    // first image's hash and signature but points at these bytes must be refused.
    byte[] changed = image.clone();
    changed[1000] ^= 0x01;
    String v2 = upload(changed, "1.0.1");
    ObjectNode signed = (ObjectNode) describe("ota1").path("document");
    ObjectNode swapped = signed.deepCopy();
    ((ObjectNode) swapped.path("firmware"))
        .put("url", "${mamori:firmware-url:" + v2 + "}")
        .put("version", "1.0.1");
    createJobWithDocument("ota-bytes", swapped, "cam1");
    JsonNode bytesRefused = awaitFinished("ota-bytes");
    assertThat(bytesRefused.path("status").asText()).isEqualTo("FAILED");
    assertThat(bytesRefused.path("statusDetails").path("reason").asText())
        .contains("sha256 mismatch");

    // Right bytes and hash, signed by some other key: refused too.
    ObjectNode foreign = signed.deepCopy();
    ((ObjectNode) foreign.path("firmware"))
        .put("url", "${mamori:firmware-url:" + v2 + "}")
        .put("version", "1.0.1")
        .put("sha256", v2)
        .put("signature", Base64.getEncoder().encodeToString(signWithOtherKey(changed)));
    createJobWithDocument("ota-key", foreign, "cam1");
    JsonNode keyRefused = awaitFinished("ota-key");
    assertThat(keyRefused.path("status").asText()).isEqualTo("FAILED");
    assertThat(keyRefused.path("statusDetails").path("reason").asText())
        .contains("signature invalid");

    // Nothing of either was installed: slot a still runs the first image, slot b was never used.
    assertThat(Files.readString(data.resolve("firmware/active"))).isEqualTo("a");
    assertThat(Files.readAllBytes(data.resolve("firmware/a/image.bin"))).isEqualTo(image);
    assertThat(data.resolve("firmware/b")).doesNotExist();

    // The genuine second image installs into the other slot.
    createJob("ota2", "--ota", v2, "--targets", "cam1");
    assertThat(awaitFinished("ota2").path("status").asText()).isEqualTo("SUCCEEDED");
    assertThat(Files.readString(data.resolve("firmware/active"))).isEqualTo("b");
    assertThat(Files.readAllBytes(data.resolve("firmware/b/image.bin"))).isEqualTo(changed);
  }

  @Test
  void rebootReconnectsAndConfigLandsInSettingsAndShadow() throws Exception {
    hub.issueDevice("cam1", "device", certs);
    Path data = dir.resolve("cam1-data");
    startAgent("cam1", data);
    await().atMost(Duration.ofSeconds(20)).until(() -> connects("cam1") >= 1);
    long before = connects("cam1");

    createJob("reboot1", "--template", "reboot", "--targets", "cam1");
    JsonNode rebooted = awaitFinished("reboot1");
    assertThat(rebooted.path("status").asText()).isEqualTo("SUCCEEDED");
    assertThat(rebooted.path("statusDetails").has("rebootedAt")).isTrue();
    assertThat(connects("cam1")).isGreaterThan(before);
    assertThat(data.resolve("reboot-pending")).doesNotExist();

    createJob(
        "config1",
        "--template",
        "config",
        "--setting",
        "interval=30",
        "--setting",
        "mode=eco",
        "--targets",
        "cam1");
    assertThat(awaitFinished("config1").path("status").asText()).isEqualTo("SUCCEEDED");
    JsonNode settings = JSON.readTree(data.resolve("settings.json").toFile());
    assertThat(settings.path("interval").asText()).isEqualTo("30");
    assertThat(settings.path("mode").asText()).isEqualTo("eco");
    var shadow = hub.cli("shadow", "get", "cam1");
    assertThat(shadow.exitCode()).as(shadow.err()).isZero();
    JsonNode reported = JSON.readTree(shadow.out()).path("state").path("reported");
    assertThat(reported.path("interval").asText()).isEqualTo("30");
    assertThat(reported.path("mode").asText()).isEqualTo("eco");
  }

  @Test
  void factoryResetWipesTheDeviceThenItsCertificateIsRevokedDetachedAndRefused() throws Exception {
    String certificateId = hub.issueDevice("cam2", "device", certs);
    Path data = dir.resolve("cam2-data");
    Files.createDirectories(data.resolve("firmware/a"));
    Files.writeString(data.resolve("settings.json"), "{\"interval\":\"10\"}");
    // What an attacker would have kept: a copy of the device's key and certificate.
    Path kept = dir.resolve("kept");
    Files.createDirectories(kept);
    for (String file : List.of("cam2.crt", "cam2.key", "ca.crt")) {
      Files.copy(certs.resolve(file), kept.resolve(file));
    }
    Future<Run> agent = startAgent("cam2", data);

    createJob("wipe1", "--template", "factory-reset", "--targets", "cam2");
    Run run = agent.get(60, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("factory reset");
    assertThat(certs.resolve("cam2.key")).doesNotExist();
    assertThat(certs.resolve("cam2.crt")).doesNotExist();
    try (var left = Files.list(data)) {
      assertThat(left).isEmpty();
    }
    assertThat(describe("wipe1").path("executions").get(0).path("status").asText())
        .isEqualTo("SUCCEEDED");

    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> certificate(certificateId).path("status").asText().equals("REVOKED"));
    JsonNode certificate = certificate(certificateId);
    assertThat(certificate.path("revocationReason").asText()).isEqualTo("cessationOfOperation");
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> certificate(certificateId).path("things").isEmpty());
    var thing = hub.cli("thing", "show", "cam2", "--json");
    assertThat(JSON.readTree(thing.out()).path("certificates")).isEmpty();
    assertThat(events)
        .anyMatch(
            e ->
                e.type().equals("device.factory-reset")
                    && e.outcome().equals(HubEvent.SUCCESS)
                    && e.subject().equals("cam2"));

    // The kept key cannot come back (HiveMQ client, as any device would connect).
    assertThatThrownBy(
            () ->
                DeviceConnection.open(
                        Endpoint.parse("localhost:" + hub.mqttPort()),
                        new DeviceCredentials(
                            kept.resolve("cam2.crt"),
                            kept.resolve("cam2.key"),
                            kept.resolve("ca.crt")),
                        "cam2",
                        Duration.ofSeconds(10))
                    .close())
        .isInstanceOf(AgentException.class)
        .hasMessageContaining("refused");
  }

  // ---- helpers ----

  private Future<Run> startAgent(String thing, Path data) {
    Future<Run> future =
        agents.submit(
            () ->
                agent(
                    "run",
                    "--endpoint",
                    "localhost:" + hub.mqttPort(),
                    "--ca-file",
                    certs.resolve("ca.crt").toString(),
                    "--cert",
                    certs.resolve(thing + ".crt").toString(),
                    "--key",
                    certs.resolve(thing + ".key").toString(),
                    "--client-id",
                    thing,
                    "--data",
                    data.toString(),
                    "--signing-cert",
                    signingCert.toString(),
                    "--timeout",
                    "20",
                    "-v"));
    running.add(future);
    return future;
  }

  private static Run agent(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    var command = AgentMain.newCommandLine();
    command.setOut(new PrintWriter(out, true));
    command.setErr(new PrintWriter(err, true));
    int exit = command.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  private String upload(byte[] content, String version) throws Exception {
    Path file = Files.createTempFile(dir, "firmware", ".bin");
    Files.write(file, content);
    var uploaded = hub.cli("firmware", "upload", file.toString(), "--version", version);
    assertThat(uploaded.exitCode()).as(uploaded.err()).isZero();
    assertThat(uploaded.id()).matches("[0-9a-f]{64}");
    return uploaded.id();
  }

  private void createJob(String jobId, String... args) {
    List<String> all = new ArrayList<>(List.of("job", "create", jobId));
    all.addAll(List.of(args));
    var created = hub.cli(all.toArray(String[]::new));
    assertThat(created.exitCode()).as(created.err()).isZero();
  }

  private void createJobWithDocument(String jobId, ObjectNode document, String targets)
      throws Exception {
    Path file = Files.createTempFile(dir, jobId, ".json");
    Files.writeString(file, document.toString());
    createJob(jobId, "--document", file.toString(), "--targets", targets);
  }

  private JsonNode describe(String jobId) throws Exception {
    var described = hub.cli("job", "describe", jobId, "--json");
    assertThat(described.exitCode()).as(described.err()).isZero();
    return JSON.readTree(described.out());
  }

  /** The job's only execution once it is in a terminal state. */
  private JsonNode awaitFinished(String jobId) throws Exception {
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              String status = describe(jobId).path("executions").get(0).path("status").asText();
              return !status.equals("QUEUED") && !status.equals("IN_PROGRESS");
            });
    return describe(jobId).path("executions").get(0);
  }

  private JsonNode certificate(String id) throws Exception {
    var shown = hub.cli("cert", "show", id, "--json");
    assertThat(shown.exitCode()).as(shown.err()).isZero();
    return JSON.readTree(shown.out());
  }

  private long connects(String clientId) {
    return events.stream()
        .filter(e -> e.type().equals("mqtt.connect") && e.outcome().equals(HubEvent.SUCCESS))
        .filter(e -> e.actor().equals(clientId) || e.subject().equals(clientId))
        .count();
  }

  private static byte[] randomBytes(int n) {
    byte[] bytes = new byte[n];
    new SecureRandom().nextBytes(bytes);
    return bytes;
  }

  private static byte[] signWithOtherKey(byte[] content) throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    Signature signature = Signature.getInstance("SHA256withECDSA");
    signature.initSign(generator.generateKeyPair().getPrivate());
    signature.update(content);
    return signature.sign();
  }
}
