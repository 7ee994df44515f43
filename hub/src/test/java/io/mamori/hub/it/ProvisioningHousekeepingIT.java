package io.mamori.hub.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.sun.net.httpserver.HttpServer;
import io.mamori.hub.events.HubEvent;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fleet provisioning's housekeeping over real sockets: a certificate whose ownership token expires
 * unused is deleted (reference §1.3), and a pre-provisioning hook that hangs holds only its own
 * threads, never the broker's.
 */
class ProvisioningHousekeepingIT {
  static final String CLAIM =
      """
      {"Version": "2012-10-17", "Statement": [
       {"Effect": "Allow", "Action": "iot:Connect", "Resource": "*"},
       {"Effect": "Allow", "Action": ["iot:Publish", "iot:Receive"],
        "Resource": ["arn:aws:iot:*:*:topic/$aws/certificates/create-from-csr/*",
                     "arn:aws:iot:*:*:topic/$aws/provisioning-templates/*"]},
       {"Effect": "Allow", "Action": "iot:Subscribe",
        "Resource": ["arn:aws:iot:*:*:topicfilter/$aws/certificates/create-from-csr/*",
                     "arn:aws:iot:*:*:topicfilter/$aws/provisioning-templates/*"]}]}
      """;

  static final String OPEN =
      """
      {"Version": "2012-10-17", "Statement": [
       {"Effect": "Allow", "Action": ["iot:Connect", "iot:Publish", "iot:Subscribe", "iot:Receive"],
        "Resource": "*"}]}
      """;

  static final String TEMPLATE =
      """
      {"Parameters": {"SerialNumber": {"Type": "String"}},
       "Resources": {
        "certificate": {"Type": "AWS::IoT::Certificate",
           "Properties": {"CertificateId": {"Ref": "AWS::IoT::Certificate::Id"}, "Status": "Active"}},
        "policy": {"Type": "AWS::IoT::Policy", "Properties": {"PolicyName": "open"}},
        "thing": {"Type": "AWS::IoT::Thing",
           "Properties": {"ThingName": {"Fn::Join": ["", ["hk-", {"Ref": "SerialNumber"}]]}}}}}
      """;

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private HubFixture hub;
  private HttpServer hookServer;
  private final CountDownLatch releaseHook = new CountDownLatch(1);

  @AfterEach
  void stop() {
    releaseHook.countDown();
    if (hookServer != null) {
      hookServer.stop(0);
    }
    if (hub != null) {
      hub.close();
    }
  }

  private Path start(MovableClock clock) throws Exception {
    hub = new HubFixture(dir.resolve("data")).withClock(clock).rotationGrace(Duration.ofSeconds(4));
    hub.start();
    Path certs = dir.resolve("certs");
    assertThat(hub.createPolicy("claim", CLAIM).exitCode()).isZero();
    assertThat(hub.createPolicy("open", OPEN).exitCode()).isZero();
    hub.issueDevice("claim", "claim", certs);
    assertThat(hub.cli("thing", "delete", "claim").exitCode()).isZero();
    return certs;
  }

  private void template(String name, String... options) throws Exception {
    Path file = dir.resolve(name + ".json");
    Files.writeString(file, TEMPLATE);
    List<String> args =
        new ArrayList<>(List.of("template", "create", name, "--document", file.toString()));
    args.addAll(List.of(options));
    var created = hub.cli(args.toArray(String[]::new));
    assertThat(created.exitCode()).as(created.err()).isZero();
  }

  private JsonNode certificate(String id) throws Exception {
    var shown = hub.cli("cert", "show", id, "--json");
    return shown.exitCode() == 0 ? JSON.readTree(shown.out()) : null;
  }

  @Test
  void certificateOfAnOwnershipTokenThatExpiredUnusedIsDeleted() throws Exception {
    MovableClock clock = new MovableClock();
    Path certs = start(clock);
    template("fleet", "--enabled");
    List<HubEvent> deletions = new CopyOnWriteArrayList<>();
    hub.hub()
        .events()
        .subscribe(
            e -> {
              if (e.type().equals("certificate.deleted")) {
                deletions.add(e);
              }
            });
    var devices = new DeviceClients(hub.mqttPort(), certs);
    try (ClaimDevice claim = new ClaimDevice(devices.mqtt5("claim", "factory-1"), "fleet")) {
      ClaimDevice.Answer unused =
          claim.createFromCsr(CsrFiles.pem(CsrFiles.csr("a", CsrFiles.ecP256())));
      ClaimDevice.Answer used =
          claim.createFromCsr(CsrFiles.pem(CsrFiles.csr("b", CsrFiles.ecP256())));
      assertThat(unused.accepted()).isTrue();
      String unusedId = unused.body().path("certificateId").asText();
      String usedId = used.body().path("certificateId").asText();
      ClaimDevice.Answer registered =
          claim.register(
              "fleet",
              used.body().path("certificateOwnershipToken").asText(),
              Map.of("SerialNumber", "1"));
      assertThat(registered.accepted()).as(registered.body().toString()).isTrue();
      assertThat(certificate(unusedId).path("status").asText()).isEqualTo("PENDING_ACTIVATION");

      // Reference §1.3: a token is valid one hour; after that its unclaimed certificate goes.
      clock.advance(Duration.ofMinutes(61));
      await().atMost(Duration.ofSeconds(20)).until(() -> certificate(unusedId) == null);
      assertThat(certificate(usedId).path("status").asText()).isEqualTo("ACTIVE");
      assertThat(deletions).extracting(HubEvent::subject).containsExactly(unusedId);
      ClaimDevice.Answer late =
          claim.register(
              "fleet",
              unused.body().path("certificateOwnershipToken").asText(),
              Map.of("SerialNumber", "2"));
      assertThat(late.outcome()).isEqualTo("rejected");
      assertThat(late.body().path("errorCode").asText())
          .isEqualTo("InvalidCertificateOwnershipToken");
    }
  }

  @Test
  void aHangingPreProvisioningHookDoesNotDelayOtherDevices() throws Exception {
    Path certs = start(new MovableClock());
    AtomicInteger hookCalls = new AtomicInteger();
    AtomicInteger hookAnswers = new AtomicInteger();
    hookServer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    hookServer.createContext(
        "/hook",
        exchange -> {
          hookCalls.incrementAndGet();
          try {
            releaseHook.await(); // hangs until the test ends; the hub gives up after 5 s
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          hookAnswers.incrementAndGet();
          byte[] body = "{\"allowProvisioning\": false}".getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    hookServer.setExecutor(Executors.newCachedThreadPool());
    hookServer.start();
    template(
        "hooked",
        "--enabled",
        "--hook",
        "http://127.0.0.1:" + hookServer.getAddress().getPort() + "/hook");
    hub.issueDevice("sender", "open", certs);
    hub.issueDevice("receiver", "open", certs);
    var devices = new DeviceClients(hub.mqttPort(), certs);
    // More hanging requests than the shared worker pool has threads (at least 4).
    int hanging = Math.max(4, Runtime.getRuntime().availableProcessors() * 2) + 4;
    try (ClaimDevice claim = new ClaimDevice(devices.mqtt5("claim", "factory-2"), "hooked")) {
      List<String> tokens = new ArrayList<>();
      for (int i = 0; i < hanging; i++) {
        var created = claim.createFromCsr(CsrFiles.pem(CsrFiles.csr("h" + i, CsrFiles.ecP256())));
        tokens.add(created.body().path("certificateOwnershipToken").asText());
      }
      var sender = devices.mqtt5("sender", "sender");
      var receiver = devices.mqtt5("receiver", "receiver");
      for (int i = 0; i < hanging; i++) {
        claim.sendRegister("hooked", tokens.get(i), Map.of("SerialNumber", "h" + i));
      }
      await().atMost(Duration.ofSeconds(20)).until(() -> hookCalls.get() == hanging);

      // While every hook call still hangs, other devices connect (authentication and TLS checks
      // use the shared workers), subscribe and exchange a message.
      receiver.connect();
      sender.connect();
      var inbox = new java.util.concurrent.LinkedBlockingQueue<Mqtt5Publish>();
      receiver
          .toAsync()
          .subscribeWith()
          .topicFilter("plant/1")
          .qos(MqttQos.AT_LEAST_ONCE)
          .callback(inbox::add)
          .send()
          .join();
      sender
          .publishWith()
          .topic("plant/1")
          .qos(MqttQos.AT_LEAST_ONCE)
          .payload(new byte[] {1})
          .send();
      assertThat(inbox.poll(30, TimeUnit.SECONDS)).isNotNull();
      assertThat(claim.waiting())
          .as("no RegisterThing answered yet: the hook calls still hang")
          .isZero();
      assertThat(hookAnswers.get()).isZero();

      // The hub then gives up on each hook call (5 s) and refuses, fail closed.
      for (int i = 0; i < hanging; i++) {
        ClaimDevice.Answer answer = claim.next();
        assertThat(answer.outcome()).isEqualTo("rejected");
        assertThat(answer.body().path("errorCode").asText()).isEqualTo("ACCESS_DENIED");
      }
      sender.disconnect();
      receiver.disconnect();
    }
  }
}
