package io.mamori.hub.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The AWS Jobs device API (reference §3) over real sockets: HiveMQ clients with real certificates
 * against a real hub, operators through the CLI.
 */
class JobsIT {
  /** May publish, subscribe and receive on every thing's topics: a compromised device. */
  private static final String INTRUDER_POLICY =
      """
      {"Version": "2012-10-17", "Statement": [
       {"Effect": "Allow", "Action": "iot:Connect", "Resource": "*"},
       {"Effect": "Allow", "Action": ["iot:Publish", "iot:Receive"],
        "Resource": "arn:aws:iot:*:*:topic/$aws/things/*"},
       {"Effect": "Allow", "Action": "iot:Subscribe", "Resource": "arn:aws:iot:*:*:topicfilter/$aws/things/*"}]}
      """;

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private HubFixture hub;
  private DeviceClients clients;
  private final List<Mqtt5BlockingClient> connected = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    hub = new HubFixture(dir.resolve("data")).start();
    Path certs = dir.resolve("certs");
    assertThat(hub.createPolicy("device-policy", ShadowIT.DEVICE_POLICY).exitCode()).isZero();
    assertThat(hub.createPolicy("intruder-policy", INTRUDER_POLICY).exitCode()).isZero();
    hub.issueDevice("cam1", "device-policy", certs);
    hub.issueDevice("cam2", "device-policy", certs);
    hub.issueDevice("intruder", "intruder-policy", certs);
    clients = new DeviceClients(hub.mqttPort(), certs);
  }

  @AfterEach
  void stop() {
    for (Mqtt5BlockingClient client : connected) {
      if (client.getState().isConnected()) {
        client.disconnect();
      }
    }
    hub.close();
  }

  @Test
  void aDeviceIsNotifiedStartsAndFinishesItsJob() throws Exception {
    Device cam1 = device("cam1");
    String jobs = "$aws/things/cam1/jobs";
    cam1.subscribe(
        jobs + "/notify-next", jobs + "/get/+", jobs + "/start-next/+", jobs + "/j1/update/+");

    createJob("j1", "{\"operation\":\"reboot\",\"delay\":5}", "cam1,cam2");
    JsonNode next = cam1.take(jobs + "/notify-next");
    assertThat(next.path("execution").path("jobId").asText()).isEqualTo("j1");
    assertThat(next.path("execution").path("status").asText()).isEqualTo("QUEUED");
    assertThat(next.path("execution").path("jobDocument").path("operation").asText())
        .isEqualTo("reboot");
    assertThat(next.path("timestamp").asLong()).isGreaterThan(1_700_000_000L);

    cam1.publish(jobs + "/get", "{\"clientToken\":\"t1\"}");
    JsonNode pending = cam1.take(jobs + "/get/accepted");
    assertThat(pending.path("clientToken").asText()).isEqualTo("t1");
    assertThat(pending.path("queuedJobs").get(0).path("jobId").asText()).isEqualTo("j1");
    assertThat(pending.path("inProgressJobs")).isEmpty();

    cam1.publish(
        jobs + "/start-next", "{\"statusDetails\":{\"step\":\"download\"},\"clientToken\":\"t2\"}");
    JsonNode started = cam1.take(jobs + "/start-next/accepted");
    assertThat(started.path("clientToken").asText()).isEqualTo("t2");
    JsonNode execution = started.path("execution");
    assertThat(execution.path("status").asText()).isEqualTo("IN_PROGRESS");
    assertThat(execution.path("thingName").asText()).isEqualTo("cam1");
    assertThat(execution.path("jobDocument").path("delay").asInt()).isEqualTo(5);
    assertThat(execution.path("statusDetails").path("step").asText()).isEqualTo("download");
    assertThat(execution.path("versionNumber").asLong()).isEqualTo(2);
    assertThat(execution.path("executionNumber").asLong()).isEqualTo(1);
    assertThat(execution.has("startedAt")).isTrue();
    assertThat(counts("j1").path("IN_PROGRESS").asLong()).isEqualTo(1);
    assertThat(counts("j1").path("QUEUED").asLong()).isEqualTo(1);

    cam1.publish(
        jobs + "/j1/update",
        "{\"status\":\"SUCCEEDED\",\"expectedVersion\":2,\"includeJobExecutionState\":true,"
            + "\"statusDetails\":{\"result\":\"ok\"},\"clientToken\":\"t3\"}");
    JsonNode updated = cam1.take(jobs + "/j1/update/accepted");
    assertThat(updated.path("clientToken").asText()).isEqualTo("t3");
    assertThat(updated.path("executionState").path("status").asText()).isEqualTo("SUCCEEDED");
    assertThat(updated.path("executionState").path("versionNumber").asLong()).isEqualTo(3);
    assertThat(updated.has("jobDocument")).isFalse();
    // Nothing is pending any more: notify-next without an execution.
    assertThat(cam1.take(jobs + "/notify-next").has("execution")).isFalse();
    assertThat(counts("j1").path("SUCCEEDED").asLong()).isEqualTo(1);
    assertThat(counts("j1").path("IN_PROGRESS").asLong()).isZero();

    var text = hub.cli("job", "describe", "j1");
    assertThat(text.exitCode()).as(text.err()).isZero();
    assertThat(text.out()).contains("SUCCEEDED:").contains("QUEUED:").contains("total:");
  }

  @Test
  void aStaleExpectedVersionIsRejectedWithTheCurrentState() throws Exception {
    Device cam1 = device("cam1");
    String jobs = "$aws/things/cam1/jobs";
    cam1.subscribe(jobs + "/j1/update/+", jobs + "/j1/get/+");
    createJob("j1", "{\"operation\":\"x\"}", "cam1");

    cam1.publish(
        jobs + "/j1/update",
        "{\"status\":\"IN_PROGRESS\",\"expectedVersion\":5,\"clientToken\":\"v\"}");
    JsonNode rejected = cam1.take(jobs + "/j1/update/rejected");
    assertThat(rejected.path("code").asText()).isEqualTo("VersionMismatch");
    assertThat(rejected.path("clientToken").asText()).isEqualTo("v");
    assertThat(rejected.path("executionState").path("versionNumber").asLong()).isEqualTo(1);
    assertThat(rejected.path("executionState").path("status").asText()).isEqualTo("QUEUED");

    cam1.publish(jobs + "/j1/update", "{\"status\":\"CANCELED\"}");
    assertThat(cam1.take(jobs + "/j1/update/rejected").path("code").asText())
        .isEqualTo("InvalidRequest");
    cam1.publish(jobs + "/j1/update", "not json");
    assertThat(cam1.take(jobs + "/j1/update/rejected").path("code").asText())
        .isEqualTo("InvalidJson");

    cam1.publish(jobs + "/j1/get", "{}");
    JsonNode described = cam1.take(jobs + "/j1/get/accepted");
    assertThat(described.path("execution").path("versionNumber").asLong()).isEqualTo(1);
    assertThat(described.path("execution").path("jobDocument").path("operation").asText())
        .isEqualTo("x");
  }

  @Test
  void anotherDeviceCannotTouchThisThingsExecutions() throws Exception {
    Device intruder = device("intruder");
    intruder.subscribe("$aws/things/cam1/jobs/j1/update/+", "$aws/things/cam1/jobs/start-next/+");
    createJob("j1", "{\"operation\":\"x\"}", "cam1");

    intruder.publish("$aws/things/cam1/jobs/j1/update", "{\"status\":\"SUCCEEDED\"}");
    JsonNode rejected = intruder.take("$aws/things/cam1/jobs/j1/update/rejected");
    assertThat(rejected.path("code").asText()).isEqualTo("InvalidRequest");
    assertThat(rejected.path("message").asText()).contains("cam1");
    intruder.publish("$aws/things/cam1/jobs/start-next", "{}");
    assertThat(intruder.take("$aws/things/cam1/jobs/start-next/rejected").path("code").asText())
        .isEqualTo("InvalidRequest");

    assertThat(counts("j1").path("QUEUED").asLong()).isEqualTo(1);
    assertThat(counts("j1").path("SUCCEEDED").asLong()).isZero();
  }

  @Test
  void aContinuousJobReachesAThingAddedToItsGroupLater() throws Exception {
    assertThat(hub.cli("group", "create", "cameras").exitCode()).isZero();
    assertThat(hub.cli("group", "add-thing", "cameras", "cam1").exitCode()).isZero();
    Device cam2 = device("cam2");
    cam2.subscribe("$aws/things/cam2/jobs/notify-next");
    createJob("fw", "{\"operation\":\"update\"}", "group:cameras", "--continuous");
    assertThat(counts("fw").path("QUEUED").asLong()).isEqualTo(1);

    assertThat(hub.cli("group", "add-thing", "cameras", "cam2").exitCode()).isZero();
    JsonNode next = cam2.take("$aws/things/cam2/jobs/notify-next");
    assertThat(next.path("execution").path("jobId").asText()).isEqualTo("fw");
    assertThat(counts("fw").path("QUEUED").asLong()).isEqualTo(2);

    assertThat(hub.cli("group", "remove-thing", "cameras", "cam2").exitCode()).isZero();
    assertThat(cam2.take("$aws/things/cam2/jobs/notify-next").has("execution")).isFalse();
    assertThat(counts("fw").path("REMOVED").asLong()).isEqualTo(1);
  }

  @Test
  void cancelingAJobNotifiesItsDevices() throws Exception {
    Device cam1 = device("cam1");
    Device cam2 = device("cam2");
    cam1.subscribe("$aws/things/cam1/jobs/notify", "$aws/things/cam1/jobs/notify-next");
    cam2.subscribe("$aws/things/cam2/jobs/notify-next", "$aws/things/cam2/jobs/start-next/+");
    createJob("j1", "{\"operation\":\"x\"}", "cam1,cam2");
    assertThat(cam1.take("$aws/things/cam1/jobs/notify").path("jobs").path("QUEUED")).hasSize(1);
    cam1.take("$aws/things/cam1/jobs/notify-next");
    cam2.take("$aws/things/cam2/jobs/notify-next");
    cam2.publish("$aws/things/cam2/jobs/start-next", "{}");
    cam2.take("$aws/things/cam2/jobs/start-next/accepted");

    var cancel = hub.cli("job", "cancel", "j1");
    assertThat(cancel.exitCode()).as(cancel.err()).isZero();
    assertThat(cancel.out()).contains("CANCELED");
    assertThat(cam1.take("$aws/things/cam1/jobs/notify").path("jobs").isEmpty()).isTrue();
    assertThat(cam1.take("$aws/things/cam1/jobs/notify-next").has("execution")).isFalse();
    assertThat(counts("j1").path("CANCELED").asLong()).isEqualTo(1);
    assertThat(counts("j1").path("IN_PROGRESS").asLong()).isEqualTo(1);

    // A second cancel is refused; the job is already CANCELED. Force is refused too.
    var again = hub.cli("job", "cancel", "j1", "--force");
    assertThat(again.exitCode()).isNotZero();
    assertThat(again.err()).contains("CANCELED");
  }

  @Test
  void anAbortRuleCancelsTheRestOfTheFleet() throws Exception {
    Device cam1 = device("cam1");
    Device cam2 = device("cam2");
    cam1.subscribe("$aws/things/cam1/jobs/j1/update/+");
    cam2.subscribe("$aws/things/cam2/jobs/notify-next");
    createJob("j1", "{\"operation\":\"x\"}", "cam1,cam2", "--abort", "FAILED:50:1");
    assertThat(
            cam2.take("$aws/things/cam2/jobs/notify-next").path("execution").path("jobId").asText())
        .isEqualTo("j1");

    cam1.publish("$aws/things/cam1/jobs/j1/update", "{\"status\":\"FAILED\"}");
    cam1.take("$aws/things/cam1/jobs/j1/update/accepted");
    assertThat(cam2.take("$aws/things/cam2/jobs/notify-next").has("execution")).isFalse();
    var described = hub.cli("job", "describe", "j1", "--json");
    JsonNode job = JSON.readTree(described.out());
    assertThat(job.path("status").asText()).isEqualTo("CANCELED");
    assertThat(job.path("executionCounts").path("CANCELED").asLong()).isEqualTo(1);
    assertThat(job.path("abortConfig").path("criteriaList").get(0).path("failureType").asText())
        .isEqualTo("FAILED");

    Path file = Files.createTempFile(dir, "doc", ".json");
    Files.writeString(file, "{}");
    var bad =
        hub.cli(
            "job",
            "create",
            "j2",
            "--document",
            file.toString(),
            "--targets",
            "cam1",
            "--abort",
            "OOPS:50:1");
    assertThat(bad.exitCode()).isNotZero();
    assertThat(bad.err()).contains("failureType");
  }

  @Test
  void badOperatorInputIsRefusedWithAReason() throws Exception {
    Path document = dir.resolve("bad.json");
    Files.writeString(document, "[1,2]");
    var notObject =
        hub.cli("job", "create", "j1", "--document", document.toString(), "--targets", "cam1");
    assertThat(notObject.exitCode()).isNotZero();
    assertThat(notObject.err()).contains("JSON object");
    Files.writeString(document, "{}");
    var unknown =
        hub.cli("job", "create", "j1", "--document", document.toString(), "--targets", "ghost");
    assertThat(unknown.exitCode()).isNotZero();
    assertThat(unknown.err()).contains("ghost");
    var missing = hub.cli("job", "describe", "nope");
    assertThat(missing.exitCode()).isNotZero();
    assertThat(missing.err()).contains("nope");
  }

  private void createJob(String id, String document, String targets, String... more)
      throws Exception {
    Path file = Files.createTempFile(dir, id, ".json");
    Files.writeString(file, document);
    List<String> args =
        new ArrayList<>(
            List.of("job", "create", id, "--document", file.toString(), "--targets", targets));
    args.addAll(List.of(more));
    var created = hub.cli(args.toArray(String[]::new));
    assertThat(created.exitCode()).as(created.err()).isZero();
  }

  private JsonNode counts(String jobId) throws Exception {
    var described = hub.cli("job", "describe", jobId, "--json");
    assertThat(described.exitCode()).as(described.err()).isZero();
    return JSON.readTree(described.out()).path("executionCounts");
  }

  private Device device(String thing) throws Exception {
    Mqtt5BlockingClient client = clients.mqtt5(thing, thing);
    Device device = new Device(client);
    client.toAsync().publishes(MqttGlobalPublishFilter.ALL, device.received::add);
    client.connect();
    connected.add(client);
    return device;
  }

  /** A connected client and every message it received, taken in order per topic. */
  private static final class Device {
    final Mqtt5BlockingClient client;
    final List<Mqtt5Publish> received = new CopyOnWriteArrayList<>();
    private final List<Mqtt5Publish> taken = new CopyOnWriteArrayList<>();

    Device(Mqtt5BlockingClient client) {
      this.client = client;
    }

    void subscribe(String... filters) {
      for (String filter : filters) {
        var subAck = client.subscribeWith().topicFilter(filter).qos(MqttQos.AT_LEAST_ONCE).send();
        assertThat(subAck.getReasonCodes()).as(filter).allMatch(code -> !code.isError());
      }
    }

    void publish(String topic, String payload) {
      client
          .publishWith()
          .topic(topic)
          .payload(payload.getBytes(StandardCharsets.UTF_8))
          .qos(MqttQos.AT_LEAST_ONCE)
          .send();
    }

    /** The oldest not yet taken message on {@code topic}, waiting up to 10 s for it. */
    JsonNode take(String topic) throws Exception {
      Mqtt5Publish message =
          await()
              .atMost(Duration.ofSeconds(10))
              .until(() -> oldest(topic), Optional::isPresent)
              .orElseThrow();
      taken.add(message);
      return JSON.readTree(message.getPayloadAsBytes());
    }

    private Optional<Mqtt5Publish> oldest(String topic) {
      return received.stream()
          .filter(m -> m.getTopic().toString().equals(topic))
          .filter(m -> taken.stream().noneMatch(t -> t == m))
          .findFirst();
    }
  }
}
