package io.mamori.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mamori.agent.cli.AgentMain;
import io.mamori.agent.connection.DeviceConnection;
import io.mamori.agent.connection.Endpoint;
import io.mamori.agent.credentials.DeviceCredentials;
import io.mamori.agent.identity.CertificateApi;
import io.mamori.agent.identity.KeyAndCsr;
import io.mamori.hub.events.HubEvent;
import io.mamori.hub.it.HubFixture;
import io.mamori.hub.it.MosquittoClients;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reference agent rotates a device's certificate against a real hub over MQTT/mTLS, and
 * third-party clients (mosquitto) see the result: the new certificate works, the old one is refused
 * once the new one has connected or the grace period has ended.
 */
class RotationIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The AWS-recommended device policy (reference §5.5) plus the certificate API (§1.3). */
  static final String ROTATING_DEVICE =
      """
      {"Version": "2012-10-17", "Statement": [
       {"Effect": "Allow", "Action": "iot:Connect",
        "Resource": "arn:aws:iot:*:*:client/${iot:Connection.Thing.ThingName}",
        "Condition": {"Bool": {"iot:Connection.Thing.IsAttached": "true"}}},
       {"Effect": "Allow", "Action": ["iot:Publish", "iot:Receive"],
        "Resource": ["arn:aws:iot:*:*:topic/devices/${iot:Connection.Thing.ThingName}/*",
                     "arn:aws:iot:*:*:topic/$aws/certificates/create-from-csr/*"]},
       {"Effect": "Allow", "Action": "iot:Subscribe",
        "Resource": ["arn:aws:iot:*:*:topicfilter/devices/${iot:Connection.Thing.ThingName}/*",
                     "arn:aws:iot:*:*:topicfilter/$aws/certificates/create-from-csr/*"]}]}
      """;

  /** May listen on the certificate API topics but not publish requests to them. */
  static final String NO_PUBLISH =
      """
      {"Version": "2012-10-17", "Statement": [
       {"Effect": "Allow", "Action": "iot:Connect", "Resource": "*"},
       {"Effect": "Allow", "Action": "iot:Receive",
        "Resource": "arn:aws:iot:*:*:topic/$aws/certificates/create-from-csr/*"},
       {"Effect": "Allow", "Action": "iot:Subscribe",
        "Resource": "arn:aws:iot:*:*:topicfilter/$aws/certificates/create-from-csr/*"}]}
      """;

  /** A fleet's shared claim certificate (reference §1.3): the certificate API and nothing else. */
  static final String CLAIM =
      """
      {"Version": "2012-10-17", "Statement": [
       {"Effect": "Allow", "Action": "iot:Connect", "Resource": "*"},
       {"Effect": "Allow", "Action": ["iot:Publish", "iot:Receive"],
        "Resource": "arn:aws:iot:*:*:topic/$aws/certificates/create/*"},
       {"Effect": "Allow", "Action": "iot:Subscribe",
        "Resource": "arn:aws:iot:*:*:topicfilter/$aws/certificates/create/*"}]}
      """;

  static final String TELEMETRY =
      """
      {"Version": "2012-10-17", "Statement": [
       {"Effect": "Allow", "Action": "iot:Publish", "Resource": "arn:aws:iot:*:*:topic/telemetry/*"}]}
      """;

  @TempDir Path dir;
  private HubFixture hub;
  private final List<HubEvent> events = new CopyOnWriteArrayList<>();

  @AfterEach
  void stop() {
    if (hub != null) {
      hub.close();
    }
  }

  private HubFixture startHub(Duration grace) throws Exception {
    hub = new HubFixture(dir.resolve("hub")).rotationGrace(grace).start();
    hub.hub().events().subscribe(events::add);
    return hub;
  }

  private record Run(int exitCode, String out, String err) {}

  private Run agent(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    var command = AgentMain.newCommandLine();
    command.setOut(new PrintWriter(out, true));
    command.setErr(new PrintWriter(err, true));
    int exit = command.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  private Run rotate(Path certs, String device, String... extra) {
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                "rotate",
                "--endpoint",
                "localhost:" + hub.mqttPort(),
                "--ca-file",
                certs.resolve("ca.crt").toString(),
                "--cert",
                certs.resolve(device + ".crt").toString(),
                "--key",
                certs.resolve(device + ".key").toString(),
                "--client-id",
                device,
                "--timeout",
                "20"));
    args.addAll(List.of(extra));
    return agent(args.toArray(String[]::new));
  }

  private JsonNode certificate(String id) throws Exception {
    var shown = hub.cli("cert", "show", id, "--json");
    assertThat(shown.exitCode()).as(shown.err()).isZero();
    return JSON.readTree(shown.out());
  }

  private String status(String id) throws Exception {
    return certificate(id).path("status").asText();
  }

  private static List<String> texts(JsonNode array) {
    return java.util.stream.StreamSupport.stream(array.spliterator(), false)
        .map(JsonNode::asText)
        .sorted()
        .toList();
  }

  private static Path copyDevice(Path from, String device, Path to) throws Exception {
    Files.createDirectories(to);
    for (String file : List.of(device + ".crt", device + ".key", "ca.crt")) {
      Files.copy(from.resolve(file), to.resolve(file));
    }
    return to;
  }

  private DeviceCredentials credentials(Path certs, String device) {
    return new DeviceCredentials(
        certs.resolve(device + ".crt"), certs.resolve(device + ".key"), certs.resolve("ca.crt"));
  }

  private DeviceConnection connect(Path certs, String device) {
    return DeviceConnection.open(
        new Endpoint("localhost", hub.mqttPort()),
        credentials(certs, device),
        device,
        Duration.ofSeconds(20));
  }

  @Test
  void agentRotatesAndTheOldCertificateIsDeactivatedOnceTheNewOneConnects() throws Exception {
    MosquittoClients.requireInstalled();
    startHub(Duration.ofDays(7));
    Path certs = dir.resolve("certs");
    assertThat(hub.createPolicy("rotating-device", ROTATING_DEVICE).exitCode()).isZero();
    assertThat(hub.createPolicy("telemetry", TELEMETRY).exitCode()).isZero();
    String oldId = hub.issueDevice("sensor-1", "rotating-device", certs);
    assertThat(hub.cli("policy", "attach", "telemetry", "--cert", oldId).exitCode()).isZero();
    Path oldCerts = copyDevice(certs, "sensor-1", dir.resolve("old"));

    Run run = rotate(certs, "sensor-1", "--verbose");

    assertThat(run.exitCode()).as(run.err()).isZero();
    String newId = run.out().strip();
    assertThat(newId).matches("[0-9a-f]{64}").isNotEqualTo(oldId);
    // The files now hold the new pair, owner-only, and nothing is left staged.
    assertThat(Files.readString(certs.resolve("sensor-1.crt")))
        .isEqualTo(certificate(newId).path("pem").asText());
    for (String file : List.of("sensor-1.crt", "sensor-1.key")) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(certs.resolve(file))))
          .isEqualTo("rw-------");
    }
    assertThat(certs.resolve("sensor-1.crt.new")).doesNotExist();
    assertThat(certs.resolve("sensor-1.key.new")).doesNotExist();
    // Same thing and policies, active.
    JsonNode fresh = certificate(newId);
    assertThat(fresh.path("status").asText()).isEqualTo("ACTIVE");
    assertThat(texts(fresh.path("things"))).containsExactly("sensor-1");
    assertThat(texts(fresh.path("policies"))).containsExactly("rotating-device", "telemetry");
    // The agent's connect with the new certificate deactivated the old one.
    await().atMost(Duration.ofSeconds(15)).until(() -> status(oldId).equals("INACTIVE"));

    var mosquitto = new MosquittoClients(hub.mqttPort(), certs);
    assertThat(mosquitto.publish("sensor-1", "devices/sensor-1/temp", "21.5").exitCode()).isZero();
    var refused =
        new MosquittoClients(hub.mqttPort(), oldCerts)
            .publish("sensor-1", "devices/sensor-1/temp", "21.5");
    assertThat(refused.exitCode()).as(refused.output()).isNotZero();
    await().atMost(Duration.ofSeconds(10)).until(() -> hub.deniedConnects().contains(oldId));

    assertThat(events)
        .anySatisfy(
            e -> {
              assertThat(e.type()).isEqualTo("certificate.rotated");
              assertThat(e.subject()).isEqualTo(newId);
              assertThat(e.details()).containsEntry("oldCertificateId", oldId);
            })
        .anySatisfy(
            e -> {
              assertThat(e.type()).isEqualTo("certificate.rotation-completed");
              assertThat(e.reason()).isEqualTo("connected");
            });
  }

  @Test
  void withoutANewConnectTheGracePeriodEndsTheOldCertificateAlsoAcrossARestart() throws Exception {
    startHub(Duration.ofSeconds(3));
    Path certs = dir.resolve("certs");
    hub.createPolicy("rotating-device", ROTATING_DEVICE);
    String oldId = hub.issueDevice("sensor-2", "rotating-device", certs);

    CertificateApi.IssuedCertificate issued;
    try (DeviceConnection device = connect(certs, "sensor-2")) {
      // CBOR this time: the same API, the same keys (reference §1.2)
      issued =
          new CertificateApi(device.requests(), CertificateApi.Format.CBOR)
              .createFromCsr(KeyAndCsr.generateP256("sensor-2").csrPem());
    }
    assertThat(issued.privateKeyPem()).isEmpty();
    assertThat(issued.certificateOwnershipToken()).isNotBlank();
    assertThat(status(issued.certificateId())).isEqualTo("ACTIVE");
    assertThat(status(oldId)).isEqualTo("ACTIVE");

    // The pending rotation is stored: a restart does not forget the deadline (the sweep at start
    // or the one after it deactivates the old certificate).
    hub.restart();
    hub.hub().events().subscribe(events::add);
    await().atMost(Duration.ofSeconds(20)).until(() -> status(oldId).equals("INACTIVE"));
    assertThat(status(issued.certificateId())).isEqualTo("ACTIVE");

    // Without a restart, the regular sweep ends it and says why.
    String secondOld = hub.issueDevice("sensor-2b", "rotating-device", certs);
    String secondNew;
    try (DeviceConnection device = connect(certs, "sensor-2b")) {
      secondNew =
          new CertificateApi(device.requests(), CertificateApi.Format.JSON)
              .createFromCsr(KeyAndCsr.generateP256("sensor-2b").csrPem())
              .certificateId();
    }
    await().atMost(Duration.ofSeconds(20)).until(() -> status(secondOld).equals("INACTIVE"));
    assertThat(events)
        .anySatisfy(
            e -> {
              assertThat(e.type()).isEqualTo("certificate.rotation-completed");
              assertThat(e.subject()).isEqualTo(secondNew);
              assertThat(e.reason()).isEqualTo("grace-expired");
            });
  }

  @Test
  void badCsrIsRejectedWithAClearMessageAndNothingIsRegistered() throws Exception {
    startHub(Duration.ofDays(7));
    Path certs = dir.resolve("certs");
    hub.createPolicy("rotating-device", ROTATING_DEVICE);
    hub.issueDevice("sensor-3", "rotating-device", certs);
    int before = JSON.readTree(hub.cli("cert", "list", "--json").out()).path("certificates").size();

    try (DeviceConnection device = connect(certs, "sensor-3")) {
      var api = new CertificateApi(device.requests(), CertificateApi.Format.JSON);
      assertThatThrownBy(() -> api.createFromCsr("-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n"))
          .isInstanceOfSatisfying(
              CertificateApi.RejectedException.class,
              e -> {
                assertThat(e.statusCode()).isEqualTo(400);
                assertThat(e.errorCode()).isEqualTo("InvalidCsr");
                assertThat(e.getMessage()).contains("CSR rejected");
              });
      // Not JSON at all
      var answer =
          device
              .requests()
              .request(
                  "$aws/certificates/create-from-csr/json",
                  "{\"certificateSigningRequest\": ".getBytes(StandardCharsets.UTF_8));
      assertThat(answer.accepted()).isFalse();
      JsonNode rejected = JSON.readTree(answer.payload());
      assertThat(rejected.path("statusCode").asInt()).isEqualTo(400);
      assertThat(rejected.path("errorCode").asText()).isEqualTo("InvalidPayload");
      assertThat(rejected.path("errorMessage").asText()).startsWith("payload is not valid JSON");
    }
    int after = JSON.readTree(hub.cli("cert", "list", "--json").out()).path("certificates").size();
    assertThat(after).isEqualTo(before);
  }

  @Test
  void deviceWhosePolicyLacksPublishOnTheApiIsDeniedAndKeepsItsCertificate() throws Exception {
    startHub(Duration.ofDays(7));
    Path certs = dir.resolve("certs");
    hub.createPolicy("no-publish", NO_PUBLISH);
    String id = hub.issueDevice("sensor-4", "no-publish", certs);
    String certificateBefore = Files.readString(certs.resolve("sensor-4.crt"));

    Run run = rotate(certs, "sensor-4");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err())
        .startsWith("mamori-agent: publish to $aws/certificates/create-from-csr/json refused");
    assertThat(Files.readString(certs.resolve("sensor-4.crt"))).isEqualTo(certificateBefore);
    assertThat(certs.resolve("sensor-4.crt.new")).doesNotExist();
    assertThat(status(id)).isEqualTo("ACTIVE");
    assertThat(events)
        .anySatisfy(
            e -> {
              assertThat(e.type()).isEqualTo("mqtt.publish");
              assertThat(e.outcome()).isEqualTo("denied");
            });
  }

  @Test
  void claimCertificateGetsAPendingCertificateAndOnlyTheCallerReceivesTheKey() throws Exception {
    startHub(Duration.ofDays(7));
    Path certs = dir.resolve("certs");
    hub.createPolicy("claim", CLAIM);
    String claimId = hub.issueDevice("claim", "claim", certs);
    // A claim certificate belongs to no thing (reference §1.3).
    assertThat(hub.cli("thing", "delete", "claim").exitCode()).isZero();

    var otherAnswers = new CopyOnWriteArrayList<String>();
    try (DeviceConnection other =
            DeviceConnection.open(
                new Endpoint("localhost", hub.mqttPort()),
                credentials(certs, "claim"),
                "factory-2",
                Duration.ofSeconds(20));
        DeviceConnection device =
            DeviceConnection.open(
                new Endpoint("localhost", hub.mqttPort()),
                credentials(certs, "claim"),
                "factory-1",
                Duration.ofSeconds(20))) {
      // Another device of the fleet listens on the very same answer topic.
      other
          .client()
          .subscribeWith()
          .topicFilter("$aws/certificates/create/json/accepted")
          .callback(p -> otherAnswers.add(p.getTopic().toString()))
          .send()
          .get();
      hub.awaitSubscription("factory-2", "$aws/certificates/create/json/accepted");

      var issued =
          new CertificateApi(device.requests(), CertificateApi.Format.JSON)
              .createKeysAndCertificate();

      assertThat(issued.privateKeyPem()).get().asString().contains("PRIVATE KEY");
      JsonNode created = certificate(issued.certificateId());
      assertThat(created.path("status").asText()).isEqualTo("PENDING_ACTIVATION");
      assertThat(created.path("things")).isEmpty();
      assertThat(created.path("policies")).isEmpty();
      assertThat(status(claimId)).isEqualTo("ACTIVE");
      // A round trip on the other connection after the answer: had it been routed there too,
      // it would have arrived by now.
      other
          .client()
          .unsubscribeWith()
          .topicFilter("$aws/certificates/create/json/accepted")
          .send()
          .get();
      assertThat(otherAnswers).isEmpty();
    }
  }
}
