package io.mamori.hub.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3ConnAckException;
import com.hivemq.client.mqtt.mqtt3.message.connect.connack.Mqtt3ConnAckReturnCode;
import com.sun.net.httpserver.HttpServer;
import io.mamori.hub.events.HubEvent;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * JITR (reference §2.2, §2.3): the first connect of an unknown certificate from a CA without a
 * template registers it PENDING_ACTIVATION, publishes the registration event on {@code
 * $aws/events/certificates/registered/<caId>} (seen here by a backend with mosquitto_sub), POSTs it
 * to the CA's webhook (a real HTTP server) and is refused; the webhook's answer or an operator
 * activates it. A CA that does not auto-register, an inactive CA and an unknown CA register
 * nothing.
 */
class JustInTimeRegistrationIT {
  private static final String DEVICE_POLICY =
      """
      {"Version": "2012-10-17", "Statement": [
       {"Effect": "Allow", "Action": "iot:Connect", "Resource": "arn:aws:iot:*:*:client/sensor-*"},
       {"Effect": "Allow", "Action": "iot:Publish", "Resource": "arn:aws:iot:*:*:topic/devices/*"}]}
      """;

  private static final String FILTER = "$aws/events/certificates/registered/#";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private HubFixture hub;
  private FactoryDevices factory;
  private HttpServer webhook;
  private final BlockingQueue<JsonNode> webhookCalls = new LinkedBlockingQueue<>();
  private final AtomicReference<String> webhookAnswer = new AtomicReference<>("{}");
  private final AtomicInteger webhookStatus = new AtomicInteger(200);
  private final CountDownLatch hangUntil = new CountDownLatch(1);
  private volatile boolean hang;
  private final List<HubEvent> events = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws Exception {
    hub = new HubFixture(dir.resolve("data")).start();
    hub.hub().events().subscribe(events::add);
    factory = new FactoryDevices(hub, dir.resolve("certs"), "Acme Factory CA");
    assertThat(hub.createPolicy("sensor-policy", DEVICE_POLICY).exitCode()).isZero();
    assertThat(hub.createPolicy("events-policy", Policies.LIFECYCLE_MONITOR).exitCode()).isZero();
    hub.issueDevice("backend", "events-policy", factory.certs);
    webhook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    webhook.createContext(
        "/jitr",
        exchange -> {
          webhookCalls.add(JSON.readTree(exchange.getRequestBody().readAllBytes()));
          if (hang) {
            try {
              hangUntil.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          byte[] body = webhookAnswer.get().getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(webhookStatus.get(), body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    webhook.start();
  }

  @AfterEach
  void stop() {
    hangUntil.countDown();
    webhook.stop(0);
    hub.close();
  }

  private String webhookUrl() {
    return "http://127.0.0.1:" + webhook.getAddress().getPort() + "/jitr";
  }

  @Test
  void pendingCertificateIsAnnouncedOnTheReservedTopicAndTheWebhookActivatesIt() throws Exception {
    MosquittoClients.requireInstalled();
    String caId = factory.registerCa("--set-active", "--allow-auto-registration");
    var set = hub.cli("ca", "set-webhook", caId, webhookUrl());
    assertThat(set.exitCode()).as(set.err()).isZero();
    assertThat(hub.cli("ca", "show", caId).out()).contains(webhookUrl());
    var neither = hub.cli("ca", "set-webhook", caId);
    assertThat(neither.exitCode()).isNotZero();
    assertThat(neither.err()).contains("give a webhook URL or --none");
    String certificateId = factory.device("sensor-9", "CN=sensor-9,O=Acme");
    var mosquitto = new MosquittoClients(hub.mqttPort(), factory.certs);
    var backend = mosquitto.subscribe("backend", FILTER, 2);
    hub.awaitSubscription("backend", FILTER);
    var clients = new DeviceClients(hub.mqttPort(), factory.certs);

    // First connect: registered PENDING_ACTIVATION, refused with CONNACK 5; the webhook says no.
    webhookAnswer.set("{\"activate\": false}");
    assertRefused(clients);
    JsonNode call = webhookCalls.poll(15, TimeUnit.SECONDS);
    assertThat(call).as("webhook call").isNotNull();
    assertRegistrationEvent(call, certificateId, caId);
    assertThat(call.path("certificatePem").asText()).startsWith("-----BEGIN CERTIFICATE-----");
    await().atMost(Duration.ofSeconds(10)).until(() -> hasEvent("jitr.webhook-refused"));
    assertThat(hub.cli("cert", "show", certificateId).out()).contains("PENDING_ACTIVATION");

    // Reference §2.2: presenting the pending certificate again publishes the event again.
    webhookAnswer.set("{\"activate\": true, \"policyName\": \"sensor-policy\"}");
    assertRefused(clients);
    assertThat(webhookCalls.poll(15, TimeUnit.SECONDS)).isNotNull();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                hub.cli("cert", "show", certificateId, "--json")
                    .out()
                    .contains("\"status\" : \"ACTIVE\""));
    assertThat(hasEvent("jitr.activated")).isTrue();

    var published = mosquitto.publish("sensor-9", "devices/sensor-9/temp", "21.5");
    assertThat(published.exitCode()).as(published.output()).isZero();

    List<String> lines = backend.awaitOutput(20).lines().toList();
    assertThat(lines).hasSize(2);
    for (String line : lines) {
      assertThat(line).startsWith("$aws/events/certificates/registered/" + caId + " ");
      assertRegistrationEvent(
          JSON.readTree(line.substring(line.indexOf(' ') + 1)), certificateId, caId);
    }
    assertThat(events)
        .filteredOn(e -> e.type().equals("jitr.pending"))
        .hasSize(2)
        .allMatch(e -> e.subject().equals(certificateId));
  }

  @Test
  void aSilentOrFailingWebhookLeavesTheCertificatePendingUntilAnOperatorActivatesIt()
      throws Exception {
    String caId = factory.registerCa("--set-active", "--allow-auto-registration");
    assertThat(hub.cli("ca", "set-webhook", caId, webhookUrl()).exitCode()).isZero();
    String certificateId = factory.device("sensor-7", "CN=sensor-7");
    var clients = new DeviceClients(hub.mqttPort(), factory.certs);

    hang = true;
    assertRefused(clients, "sensor-7");
    await()
        .atMost(Duration.ofSeconds(15))
        .until(() -> reasonOf("jitr.webhook-failed").contains("no answer within 5000 ms"));
    hang = false;
    hangUntil.countDown();
    webhookStatus.set(500);
    webhookAnswer.set("{\"activate\": true}");
    assertRefused(clients, "sensor-7");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> reasonOf("jitr.webhook-failed").contains("answered HTTP 500"));
    assertThat(hub.cli("cert", "show", certificateId).out()).contains("PENDING_ACTIVATION");

    // The operator decides instead.
    assertThat(hub.cli("policy", "attach", "sensor-policy", "--cert", certificateId).exitCode())
        .isZero();
    var activated = hub.cli("cert", "activate", certificateId);
    assertThat(activated.exitCode()).as(activated.err()).isZero();
    var device = clients.mqtt5("sensor-7", "sensor-7");
    device.connect();
    assertThat(device.getState().isConnected()).isTrue();
    device.disconnect();
  }

  @Test
  void nothingIsRegisteredWithoutAutoRegistrationForAnInactiveCaOrFromAnUnknownCa()
      throws Exception {
    String caId = factory.registerCa("--set-active");
    String first = factory.device("sensor-1", "CN=sensor-1");
    var clients = new DeviceClients(hub.mqttPort(), factory.certs);

    assertRefused(clients, "sensor-1");
    assertThat(hub.cli("cert", "show", first).exitCode()).isNotZero();
    assertThat(reasonOf("auto-registration.refused")).contains("does not auto-register");

    // Deactivated: no longer a trust anchor, the handshake fails and nothing is registered.
    assertThat(hub.cli("ca", "auto-registration", caId, "ENABLE").exitCode()).isZero();
    assertThat(hub.cli("ca", "deactivate", caId).exitCode()).isZero();
    assertThatThrownBy(clients.mqtt3("sensor-1", "sensor-1")::connect).isNotNull();
    assertThat(hub.cli("cert", "show", first).exitCode()).isNotZero();

    // A CA the hub does not know: refused at the handshake.
    var rogue = new FactoryDevices(hub, factory.certs, "Rogue CA");
    String stranger = rogue.device("sensor-2", "CN=sensor-2");
    assertThatThrownBy(clients.mqtt3("sensor-2", "sensor-2")::connect).isNotNull();
    assertThat(hub.cli("cert", "show", stranger).exitCode()).isNotZero();
    assertThat(events).noneMatch(e -> e.type().equals("certificate.registered"));
  }

  private void assertRefused(DeviceClients clients) throws Exception {
    assertRefused(clients, "sensor-9");
  }

  private void assertRefused(DeviceClients clients, String device) throws Exception {
    var client = clients.mqtt3(device, device);
    assertThatThrownBy(client::connect)
        .isInstanceOfSatisfying(
            Mqtt3ConnAckException.class,
            e ->
                assertThat(e.getMqttMessage().getReturnCode())
                    .isEqualTo(Mqtt3ConnAckReturnCode.NOT_AUTHORIZED));
  }

  /** Reference §2.3: exactly these keys, in this order (the webhook adds certificatePem). */
  private static void assertRegistrationEvent(JsonNode event, String certificateId, String caId) {
    List<String> keys = new ArrayList<>();
    Iterator<String> names = event.fieldNames();
    names.forEachRemaining(keys::add);
    keys.remove("certificatePem");
    assertThat(keys)
        .containsExactly(
            "certificateId",
            "caCertificateId",
            "timestamp",
            "certificateStatus",
            "awsAccountId",
            "certificateRegistrationTimestamp");
    assertThat(event.get("certificateId").asText()).isEqualTo(certificateId);
    assertThat(event.get("caCertificateId").asText()).isEqualTo(caId);
    assertThat(event.get("timestamp").isNumber()).isTrue();
    assertThat(event.get("certificateStatus").asText()).isEqualTo("PENDING_ACTIVATION");
    assertThat(event.get("awsAccountId").asText()).matches("[0-9]{12}");
    assertThat(event.get("certificateRegistrationTimestamp").isTextual()).isTrue();
    assertThat(event.get("certificateRegistrationTimestamp").asText()).matches("[0-9]{13}");
  }

  private boolean hasEvent(String type) {
    return events.stream().anyMatch(e -> e.type().equals(type));
  }

  private String reasonOf(String type) {
    return events.stream()
        .filter(e -> e.type().equals(type))
        .map(HubEvent::reason)
        .reduce("", (a, b) -> a + " | " + b);
  }
}
