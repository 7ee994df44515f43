package io.mamori.hub.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import io.mamori.hub.events.HubEvent;
import io.mamori.hub.webhooks.WebhookSignature;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Device Defender notifications over real sockets: a real HTTP receiver gets signed alarms (and
 * retries, across a restart), and alarm events published on the bus, as the detect engine does,
 * quarantine a device connected with the HiveMQ client while another keeps working.
 */
class DefenderNotificationsIT {
  private static final String SECRET = "correct-horse-battery-staple-42";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private HubFixture hub;
  private WebhookReceiver receiver;
  private DeviceClients clients;
  private final List<HubEvent> events = new CopyOnWriteArrayList<>();
  private final Map<String, String> certificates = new java.util.HashMap<>();

  @BeforeEach
  void start() throws Exception {
    hub = new HubFixture(dir.resolve("data")).start();
    hub.hub().events().subscribe(events::add);
    receiver = new WebhookReceiver();
    Path certs = dir.resolve("certs");
    assertThat(hub.createPolicy("device-policy", Policies.DEVICE).exitCode()).isZero();
    certificates.put("cam-1", hub.issueDevice("cam-1", "device-policy", certs));
    certificates.put("cam-2", hub.issueDevice("cam-2", "device-policy", certs));
    clients = new DeviceClients(hub.mqttPort(), certs);
  }

  @AfterEach
  void stop() {
    hub.close();
    receiver.close();
  }

  private String ok(String... args) {
    var result = hub.cli(args);
    assertThat(result.exitCode()).as(String.join(" ", args) + ": " + result.err()).isZero();
    return result.out();
  }

  private String createWebhook(String events) throws Exception {
    Path secret = dir.resolve("secret");
    Files.writeString(secret, SECRET + "\n");
    return ok(
            "webhook",
            "create",
            "--url",
            receiver.url(),
            "--events",
            events,
            "--secret-file",
            secret.toString())
        .strip();
  }

  private static HubEvent alarm(String thing, String alarmId, String mitigations) {
    return new HubEvent(
        "defender.alarm.active",
        Instant.now(),
        "defender",
        thing,
        HubEvent.SUCCESS,
        "",
        Map.of(
            "alarmId", alarmId,
            "profile", "flood-guard",
            "behavior", "too-many-messages",
            "metric", "aws:num-messages-sent",
            "value", "5000",
            "threshold", "100",
            "mitigations", mitigations));
  }

  /** The receiver's side, written independently of the hub's signer. */
  private static String hmac(String timestamp, byte[] body) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
    return "v1=" + HexFormat.of().formatHex(mac.doFinal(body));
  }

  @Test
  void aWebhookReceivesASignedAlarmThatVerifiesAndTheSecretNeverComesBack() throws Exception {
    String webhookId = createWebhook("defender.*,certificate.revoked");

    hub.hub().events().publish(alarm("cam-1", "alarm-1", ""));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> !receiver.ofType("defender.alarm.active").isEmpty());

    var delivery = receiver.ofType("defender.alarm.active").get(0);
    String timestamp = delivery.header(WebhookSignature.TIMESTAMP_HEADER);
    assertThat(Math.abs(Instant.now().getEpochSecond() - Long.parseLong(timestamp)))
        .isLessThan(300);
    assertThat(delivery.header(WebhookSignature.SIGNATURE_HEADER))
        .isEqualTo(hmac(timestamp, delivery.body()));
    assertThat(
            WebhookSignature.verify(
                SECRET,
                timestamp,
                delivery.header(WebhookSignature.SIGNATURE_HEADER),
                delivery.body(),
                Instant.now(),
                WebhookSignature.DEFAULT_REPLAY_WINDOW))
        .isTrue();
    // A changed body, a wrong secret or a stale timestamp does not verify.
    byte[] tampered = delivery.text().replace("5000", "5").getBytes(StandardCharsets.UTF_8);
    assertThat(
            WebhookSignature.verify(
                SECRET,
                timestamp,
                delivery.header(WebhookSignature.SIGNATURE_HEADER),
                tampered,
                Instant.now(),
                WebhookSignature.DEFAULT_REPLAY_WINDOW))
        .isFalse();
    assertThat(
            WebhookSignature.verify(
                SECRET,
                timestamp,
                delivery.header(WebhookSignature.SIGNATURE_HEADER),
                delivery.body(),
                Instant.now().plus(Duration.ofMinutes(6)),
                WebhookSignature.DEFAULT_REPLAY_WINDOW))
        .isFalse();

    JsonNode body = JSON.readTree(delivery.body());
    assertThat(body.path("type").asText()).isEqualTo("defender.alarm.active");
    assertThat(body.path("subject").asText()).isEqualTo("cam-1");
    assertThat(body.path("details").path("alarmId").asText()).isEqualTo("alarm-1");
    assertThat(body.path("details").path("metric").asText()).isEqualTo("aws:num-messages-sent");
    assertThat(body.path("deliveryId").asText()).isEqualTo(delivery.header("X-Mamori-Delivery"));

    // Events it did not ask for do not go out; ones it did do.
    hub.hub().events().publish(HubEvent.success("thing.created", Instant.now(), "admin", "x"));
    ok("cert", "revoke", certificateOf("cam-2"));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> !receiver.ofType("certificate.revoked").isEmpty());
    assertThat(receiver.ofType("thing.created")).isEmpty();

    String listed = ok("webhook", "list", "--json");
    assertThat(listed).contains(webhookId).contains("defender.*").doesNotContain(SECRET);
    assertThat(ok("webhook", "test", webhookId)).isNotBlank();
    await().atMost(Duration.ofSeconds(10)).until(() -> !receiver.ofType("webhook.test").isEmpty());
    assertThat(ok("audit", "export")).contains("webhook.created").doesNotContain(SECRET);

    ok("webhook", "delete", webhookId);
    assertThat(hub.cli("webhook", "delete", webhookId).err()).contains("not found");
  }

  @Test
  void aFailingReceiverIsRetriedWithBackoffUntilItAccepts() throws Exception {
    createWebhook("defender.alarm.*");
    receiver.failNext(2);

    hub.hub().events().publish(alarm("cam-1", "alarm-2", ""));
    await().atMost(Duration.ofSeconds(20)).until(() -> receiver.received().size() >= 3);

    var attempts = receiver.received();
    // One delivery, three attempts, same id: the receiver can drop duplicates.
    assertThat(attempts)
        .extracting(r -> r.header("X-Mamori-Delivery"))
        .containsOnly(attempts.get(0).header("X-Mamori-Delivery"));
    long firstWait =
        TimeUnit.NANOSECONDS.toMillis(attempts.get(1).nanoTime() - attempts.get(0).nanoTime());
    long secondWait =
        TimeUnit.NANOSECONDS.toMillis(attempts.get(2).nanoTime() - attempts.get(1).nanoTime());
    // Lower bounds the retry policy guarantees (1 s then 2 s, jittered down to half at most).
    assertThat(firstWait).isGreaterThanOrEqualTo(500);
    assertThat(secondWait).isGreaterThanOrEqualTo(1000);
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> ok("webhook", "deliveries", "--status", "delivered").contains("attempts=3"));
    assertThat(ok("webhook", "deliveries", "--status", "dead")).isBlank();
  }

  @Test
  void aPendingDeliverySurvivesARestartAndIsDeliveredAfterIt() throws Exception {
    createWebhook("defender.*");
    receiver.failAlways(true);
    hub.hub().events().publish(alarm("cam-1", "alarm-3", ""));
    await().atMost(Duration.ofSeconds(10)).until(() -> !receiver.received().isEmpty());
    String deliveryId = receiver.received().get(0).header("X-Mamori-Delivery");
    assertThat(ok("webhook", "deliveries", "--status", "pending")).contains(deliveryId);

    hub.restart();
    receiver.failAlways(false);

    await()
        .atMost(Duration.ofSeconds(15))
        .until(
            () ->
                receiver.received().stream()
                    .anyMatch(
                        r ->
                            r.header("X-Mamori-Delivery").equals(deliveryId)
                                && r.answered() == 204));
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> ok("webhook", "deliveries", "--status", "delivered").contains(deliveryId));
  }

  @Test
  void anAlarmWithQuarantineCutsTheDeviceOffAtOnceWhileAnotherKeepsWorking() throws Exception {
    createWebhook("defender.mitigation.*");
    Mqtt5BlockingClient flooder = clients.mqtt5("cam-1", "cam-1");
    Mqtt5BlockingClient neighbour = clients.mqtt5("cam-2", "cam-2");
    flooder.connect();
    neighbour.connect();
    assertPublishes(neighbour, "cam-2", "before");
    assertPublishes(flooder, "cam-1", "before");

    hub.hub().events().publish(alarm("cam-1", "alarm-4", "QUARANTINE"));

    await().atMost(Duration.ofSeconds(10)).until(() -> !flooder.getState().isConnected());
    assertRefused(flooder);
    assertThat(neighbour.getState().isConnected()).isTrue();
    assertPublishes(neighbour, "cam-2", "after");
    assertThat(ok("group", "list-things", "defender-quarantine").lines()).containsExactly("cam-1");

    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> !receiver.ofType("defender.mitigation.applied").isEmpty());
    JsonNode applied = JSON.readTree(receiver.ofType("defender.mitigation.applied").get(0).body());
    assertThat(applied.path("details").path("action").asText()).isEqualTo("QUARANTINE");
    assertThat(applied.path("details").path("alarmId").asText()).isEqualTo("alarm-4");
    assertThat(applied.path("details").path("alreadyApplied").asText()).isEqualTo("false");

    // The same alarm again changes nothing and says so.
    hub.hub().events().publish(alarm("cam-1", "alarm-4", "QUARANTINE"));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> mitigationEvents("defender.mitigation.applied").size() == 2);
    assertThat(mitigationEvents("defender.mitigation.applied").get(1).details())
        .containsEntry("alreadyApplied", "true");
    // It is in the tamper-evident audit log.
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> ok("audit", "export").contains("defender.mitigation.applied"));
    neighbour.disconnect();
  }

  @Test
  void anAlarmNamingAnUnknownActionIsRecordedAsAFailedMitigation() {
    hub.hub().events().publish(alarm("cam-1", "alarm-5", "QUARANTINE,SELF_DESTRUCT"));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> !mitigationEvents("defender.mitigation.failed").isEmpty());
    assertThat(mitigationEvents("defender.mitigation.failed").get(0).reason())
        .contains("unknown mitigation action 'SELF_DESTRUCT'");
    assertThat(mitigationEvents("defender.mitigation.applied")).isEmpty();
  }

  @Test
  void revokeMitigationCutsTheDeviceOffAndIsIdempotent() throws Exception {
    Mqtt5BlockingClient device = clients.mqtt5("cam-1", "cam-1");
    Mqtt5BlockingClient neighbour = clients.mqtt5("cam-2", "cam-2");
    device.connect();
    neighbour.connect();

    String out = ok("defender", "mitigate", "cam-1", "--action", "revoke-certificate");
    assertThat(out)
        .contains("REVOKE_CERTIFICATE cam-1: revoked certificate(s) " + certificateOf("cam-1"));
    await().atMost(Duration.ofSeconds(10)).until(() -> !device.getState().isConnected());
    assertRefused(device);
    assertThat(ok("cert", "show", certificateOf("cam-1"))).contains("REVOKED");
    assertPublishes(neighbour, "cam-2", "still here");

    assertThat(ok("defender", "mitigate", "cam-1", "--action", "revoke-certificate"))
        .contains("(already applied)");
    neighbour.disconnect();
  }

  @Test
  void deactivateStartJobAndReplacePolicyVersionMitigations() throws Exception {
    Mqtt5BlockingClient device = clients.mqtt5("cam-2", "cam-2");
    device.connect();
    ok("defender", "mitigate", "cam-2", "--action", "deactivate-certificate");
    await().atMost(Duration.ofSeconds(10)).until(() -> !device.getState().isConnected());
    assertThat(ok("cert", "show", certificateOf("cam-2"))).contains("INACTIVE");

    Path job = dir.resolve("fix.json");
    Files.writeString(job, "{\"operation\":\"patch\",\"version\":\"1.2.4\"}");
    assertThat(
            ok(
                "defender",
                "mitigate",
                "cam-1",
                "--action",
                "start-job",
                "--job-document",
                job.toString(),
                "--job-id",
                "fix-cam-1"))
        .contains("created job fix-cam-1");
    assertThat(ok("job", "describe", "fix-cam-1")).contains("cam-1");
    assertThat(
            ok(
                "defender",
                "mitigate",
                "cam-1",
                "--action",
                "start-job",
                "--job-document",
                job.toString(),
                "--job-id",
                "fix-cam-1"))
        .contains("already applied");

    Path narrower = dir.resolve("narrower.json");
    Files.writeString(narrower, Policies.DEVICE.replace("\"iot:Publish\", ", ""));
    assertThat(
            ok(
                "defender",
                "mitigate",
                "cam-1",
                "--action",
                "replace-policy-version",
                "--policy",
                "device-policy",
                "--policy-document",
                narrower.toString()))
        .contains("now at default version 2");
    assertThat(
            ok(
                "defender",
                "mitigate",
                "cam-1",
                "--action",
                "replace-policy-version",
                "--policy",
                "device-policy",
                "--policy-document",
                narrower.toString()))
        .contains("already applied");
  }

  @Test
  void badMitigationRequestsAreRefusedWithTheReason() throws Exception {
    var unknownAction = hub.cli("defender", "mitigate", "cam-1", "--action", "explode");
    assertThat(unknownAction.exitCode()).isEqualTo(1);
    assertThat(unknownAction.err()).contains("unknown mitigation action 'explode'");

    var unknownThing = hub.cli("defender", "mitigate", "ghost", "--action", "quarantine");
    assertThat(unknownThing.exitCode()).isEqualTo(1);
    assertThat(unknownThing.err()).contains("ghost");
    assertThat(mitigationEvents("defender.mitigation.failed")).isNotEmpty();

    var noDocument = hub.cli("defender", "mitigate", "cam-1", "--action", "start-job");
    assertThat(noDocument.err()).contains("start-job needs a job 'document'");

    Path shortSecret = dir.resolve("short");
    Files.writeString(shortSecret, "tiny");
    var weak =
        hub.cli(
            "webhook",
            "create",
            "--url",
            receiver.url(),
            "--events",
            "defender.*",
            "--secret-file",
            shortSecret.toString());
    assertThat(weak.exitCode()).isEqualTo(1);
    assertThat(weak.err()).contains("the secret must be 16 to 512 characters");
    var badUrl =
        hub.cli(
            "webhook",
            "create",
            "--url",
            "ftp://x/y",
            "--events",
            "defender.*",
            "--secret-file",
            dir.resolve("short").toString());
    assertThat(badUrl.err()).contains("http:// or https://");
  }

  @Test
  void aScheduledAuditRunsAtOnceAndSendsItsFindingsToTheWebhook() throws Exception {
    createWebhook("defender.audit.*");
    assertThat(
            hub.createPolicy(
                    "wide-open",
                    "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"iot:*\",\"Resource\":\"*\"}]}")
                .exitCode())
        .isZero();

    String id =
        ok(
                "defender",
                "audit",
                "schedule",
                "create",
                "--every",
                "24h",
                "--checks",
                "IOT_POLICY_OVERLY_PERMISSIVE_CHECK")
            .strip();

    await()
        .atMost(Duration.ofSeconds(15))
        .until(() -> !receiver.ofType("defender.audit.completed").isEmpty());
    var findings = receiver.ofType("defender.audit.finding");
    assertThat(findings).isNotEmpty();
    JsonNode finding = JSON.readTree(findings.get(0).body());
    assertThat(finding.path("subject").asText()).isEqualTo("wide-open");
    assertThat(finding.path("details").path("check").asText())
        .isEqualTo("IOT_POLICY_OVERLY_PERMISSIVE_CHECK");
    assertThat(finding.path("details").path("scheduleId").asText()).isEqualTo(id);
    assertThat(finding.path("reason").asText()).isNotBlank();

    String listed = ok("defender", "audit", "schedule", "list");
    assertThat(listed)
        .contains(id)
        .contains("every=PT24H")
        .contains("lastFindings=" + findings.size())
        .doesNotContain("lastRun=never");
    var unknownCheck =
        hub.cli(
            "defender",
            "audit",
            "schedule",
            "create",
            "--every",
            "1h",
            "--checks",
            "NO_SUCH_CHECK");
    assertThat(unknownCheck.err()).contains("unknown check 'NO_SUCH_CHECK'");
    var tooOften = hub.cli("defender", "audit", "schedule", "create", "--every", "5s");
    assertThat(tooOften.err()).contains("between 1m and 31d");
    ok("defender", "audit", "schedule", "delete", id);
    assertThat(ok("defender", "audit", "schedule", "list")).doesNotContain(id);
  }

  private List<HubEvent> mitigationEvents(String type) {
    return events.stream().filter(e -> e.type().equals(type)).toList();
  }

  private String certificateOf(String thing) {
    return certificates.get(thing);
  }

  private static void assertPublishes(Mqtt5BlockingClient client, String thing, String text)
      throws Exception {
    try (var publishes = client.publishes(MqttGlobalPublishFilter.ALL)) {
      client
          .subscribeWith()
          .topicFilter("devices/" + thing + "/#")
          .qos(MqttQos.AT_LEAST_ONCE)
          .send();
      var sent =
          client
              .publishWith()
              .topic("devices/" + thing + "/status")
              .payload(text.getBytes(StandardCharsets.UTF_8))
              .qos(MqttQos.AT_LEAST_ONCE)
              .send();
      assertThat(sent.getError()).isEmpty();
      var received = publishes.receive(10, TimeUnit.SECONDS);
      assertThat(received).isPresent();
      assertThat(new String(received.get().getPayloadAsBytes(), StandardCharsets.UTF_8))
          .isEqualTo(text);
    }
  }

  private static void assertRefused(Mqtt5BlockingClient device) {
    assertThatThrownBy(device::connect)
        .isInstanceOfSatisfying(
            Mqtt5ConnAckException.class,
            e ->
                assertThat(e.getMqttMessage().getReasonCode())
                    .isEqualTo(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED));
  }
}
