package io.mamori.hub.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient.Mqtt5Publishes;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The AWS Device Shadow MQTT API (reference §4) over real sockets: HiveMQ and mosquitto clients
 * with real certificates against a real hub, and operators through the CLI.
 */
class ShadowIT {
  /**
   * The policy AWS recommends (reference §5.5): each device only its own $aws/things/... topics.
   */
  static final String DEVICE_POLICY =
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

  /** May subscribe to every thing's shadow topics but receive only its own. */
  static final String SNOOP_POLICY =
      """
      {"Version": "2012-10-17", "Statement": [
       {"Effect": "Allow", "Action": "iot:Connect", "Resource": "*"},
       {"Effect": "Allow", "Action": ["iot:Publish", "iot:Receive"],
        "Resource": "arn:aws:iot:*:*:topic/$aws/things/${iot:Connection.Thing.ThingName}/*"},
       {"Effect": "Allow", "Action": "iot:Subscribe", "Resource": "arn:aws:iot:*:*:topicfilter/$aws/things/*"}]}
      """;

  /** An operator console that watches every thing's shadow topics. */
  static final String CONSOLE_POLICY =
      """
      {"Version": "2012-10-17", "Statement": [
       {"Effect": "Allow", "Action": "iot:Connect", "Resource": "arn:aws:iot:*:*:client/console"},
       {"Effect": "Allow", "Action": "iot:Receive", "Resource": "arn:aws:iot:*:*:topic/$aws/things/*"},
       {"Effect": "Allow", "Action": "iot:Subscribe", "Resource": "arn:aws:iot:*:*:topicfilter/$aws/things/*"}]}
      """;

  private static final String LAMP = "$aws/things/lamp/shadow";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private HubFixture hub;
  private Path certs;
  private DeviceClients clients;
  private final List<Mqtt5BlockingClient> connected = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    hub = new HubFixture(dir.resolve("data")).start();
    certs = dir.resolve("certs");
    assertThat(hub.createPolicy("device-policy", DEVICE_POLICY).exitCode()).isZero();
    assertThat(hub.createPolicy("snoop-policy", SNOOP_POLICY).exitCode()).isZero();
    assertThat(hub.createPolicy("console-policy", CONSOLE_POLICY).exitCode()).isZero();
    hub.issueDevice("lamp", "device-policy", certs);
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
  void anOperatorUpdateReachesTheSubscribedDeviceAsAcceptedDeltaAndDocuments() throws Exception {
    Mqtt5BlockingClient lamp = connect("lamp");
    try (Mqtt5Publishes messages = lamp.publishes(MqttGlobalPublishFilter.ALL)) {
      subscribe(
          lamp, LAMP + "/update/accepted", LAMP + "/update/delta", LAMP + "/update/documents");

      var cli = hub.cli("shadow", "update", "lamp", "--desired", "{\"color\":\"red\"}");
      assertThat(cli.exitCode()).as(cli.err()).isZero();
      assertThat(json(cli.out()).path("version").asLong()).isEqualTo(1);

      JsonNode accepted = next(messages, LAMP + "/update/accepted");
      assertThat(accepted.path("state").path("desired").path("color").asText()).isEqualTo("red");
      assertThat(accepted.path("metadata").path("desired").path("color").path("timestamp").asLong())
          .isBetween(1_700_000_000L, 9_999_999_999L);
      JsonNode delta = next(messages, LAMP + "/update/delta");
      assertThat(delta.path("state")).isEqualTo(json("{\"color\":\"red\"}"));
      assertThat(delta.path("version").asLong()).isEqualTo(1);
      JsonNode documents = next(messages, LAMP + "/update/documents");
      assertThat(documents.has("previous")).isFalse();
      assertThat(documents.path("current").path("version").asLong()).isEqualTo(1);

      // The device applies the change and reports it: accepted, documents, and no new delta.
      publish(
          lamp,
          LAMP + "/update",
          "{\"state\":{\"reported\":{\"color\":\"red\"}},\"clientToken\":\"r1\"}");
      JsonNode reported = next(messages, LAMP + "/update/accepted");
      assertThat(reported.path("clientToken").asText()).isEqualTo("r1");
      assertThat(reported.path("version").asLong()).isEqualTo(2);
      JsonNode after = next(messages, LAMP + "/update/documents");
      assertThat(after.path("previous").path("version").asLong()).isEqualTo(1);
      assertThat(after.path("current").path("state").path("reported").path("color").asText())
          .isEqualTo("red");
      assertThat(messages.receive(1, TimeUnit.SECONDS)).isEmpty();
    }
  }

  @Test
  void aStaleVersionIsRejectedWithVersionConflict() throws Exception {
    Mqtt5BlockingClient lamp = connect("lamp");
    try (Mqtt5Publishes messages = lamp.publishes(MqttGlobalPublishFilter.ALL)) {
      subscribe(lamp, LAMP + "/update/accepted", LAMP + "/update/rejected");
      publish(lamp, LAMP + "/update", "{\"state\":{\"reported\":{\"on\":true}}}");
      assertThat(next(messages, LAMP + "/update/accepted").path("version").asLong()).isEqualTo(1);

      publish(
          lamp,
          LAMP + "/update",
          "{\"state\":{\"reported\":{\"on\":false}},\"version\":7,\"clientToken\":\"v7\"}");

      JsonNode rejected = next(messages, LAMP + "/update/rejected");
      assertThat(rejected.path("code").asInt()).isEqualTo(409);
      assertThat(rejected.path("message").asText()).isEqualTo("Version conflict");
      assertThat(rejected.path("clientToken").asText()).isEqualTo("v7");
    }
    assertThat(json(hub.cli("shadow", "get", "lamp").out()).path("state").path("reported"))
        .isEqualTo(json("{\"on\":true}"));
  }

  @Test
  void namedShadowsWorkWithMosquittoClients() throws Exception {
    MosquittoClients.requireInstalled();
    var mosquitto = new MosquittoClients(hub.mqttPort(), certs);
    String prefix = LAMP + "/name/config";
    hub.issueDevice("console", "console-policy", certs);
    var subscriber = mosquitto.subscribe("console", prefix + "/update/accepted", 1);
    hub.awaitSubscription("console", prefix + "/update/accepted");

    var sent =
        mosquitto.publish(
            "lamp", prefix + "/update", "{\"state\":{\"desired\":{\"interval\":30}}}");

    assertThat(sent.exitCode()).as(sent.output()).isZero();
    String output = subscriber.awaitOutput(20);
    assertThat(output).startsWith(prefix + "/update/accepted ").contains("\"interval\":30");
    assertThat(hub.cli("shadow", "list", "lamp").out().strip()).isEqualTo("config");
    assertThat(json(hub.cli("shadow", "get", "lamp", "--name", "config").out()).path("state"))
        .isEqualTo(json("{\"desired\":{\"interval\":30},\"delta\":{\"interval\":30}}"));
    var classic = hub.cli("shadow", "get", "lamp");
    assertThat(classic.exitCode()).isNotZero();
    assertThat(classic.err()).contains("No shadow exists with name: 'lamp'");
  }

  @Test
  void malformedJsonIsRejectedWithTheAwsMessage() throws Exception {
    MosquittoClients.requireInstalled();
    var mosquitto = new MosquittoClients(hub.mqttPort(), certs);
    hub.issueDevice("console", "console-policy", certs);
    var subscriber = mosquitto.subscribe("console", LAMP + "/update/rejected", 1);
    hub.awaitSubscription("console", LAMP + "/update/rejected");

    mosquitto.publish("lamp", LAMP + "/update", "{\"state\": {");

    String output = subscriber.awaitOutput(20);
    JsonNode rejected = json(output.substring(output.indexOf(' ') + 1));
    assertThat(rejected.path("code").asInt()).isEqualTo(400);
    assertThat(rejected.path("message").asText()).isEqualTo("Invalid JSON");
  }

  @Test
  void deleteRemovesTheShadowAndGetThenSaysNotFound() throws Exception {
    Mqtt5BlockingClient lamp = connect("lamp");
    try (Mqtt5Publishes messages = lamp.publishes(MqttGlobalPublishFilter.ALL)) {
      subscribe(lamp, LAMP + "/get/+", LAMP + "/delete/+");
      assertThat(hub.cli("shadow", "update", "lamp", "--reported", "{\"a\":1}").exitCode())
          .isZero();

      publish(lamp, LAMP + "/delete", "{\"clientToken\":\"del\"}");
      JsonNode deleted = next(messages, LAMP + "/delete/accepted");
      assertThat(deleted.path("version").asLong()).isEqualTo(1);
      assertThat(deleted.path("clientToken").asText()).isEqualTo("del");

      publish(lamp, LAMP + "/get", "");
      JsonNode missing = next(messages, LAMP + "/get/rejected");
      assertThat(missing.path("code").asInt()).isEqualTo(404);
      assertThat(missing.path("message").asText()).isEqualTo("No shadow exists with name: 'lamp'");
    }
  }

  @Test
  void shadowsSurviveARestartAndAReconnectingDeviceGetsItsDelta() throws Exception {
    // The device keeps a persistent session subscribed to its delta, then loses power.
    Mqtt5BlockingClient lamp = clients.mqtt5("lamp", "lamp");
    lamp.connectWith().cleanStart(false).sessionExpiryInterval(3600).send();
    lamp.subscribeWith().topicFilter(LAMP + "/update/delta").qos(MqttQos.AT_LEAST_ONCE).send();
    publish(lamp, LAMP + "/update", "{\"state\":{\"reported\":{\"brightness\":10}}}");
    lamp.disconnect();

    // While it is off, the operator asks for a new brightness; then the hub restarts.
    var cli = hub.cli("shadow", "update", "lamp", "--desired", "{\"brightness\":80}");
    assertThat(cli.exitCode()).as(cli.err()).isZero();
    hub.restart();
    JsonNode stored = json(hub.cli("shadow", "get", "lamp").out());
    assertThat(stored.path("version").asLong()).isEqualTo(2);
    assertThat(stored.path("state").path("delta")).isEqualTo(json("{\"brightness\":80}"));

    // Back on power: the queued delta arrives, and a get shows the same delta.
    lamp = clients(hub.mqttPort()).mqtt5("lamp", "lamp");
    connected.add(lamp);
    try (Mqtt5Publishes messages = lamp.publishes(MqttGlobalPublishFilter.ALL)) {
      lamp.connectWith().cleanStart(false).sessionExpiryInterval(3600).send();
      JsonNode delta = next(messages, LAMP + "/update/delta");
      assertThat(delta.path("state")).isEqualTo(json("{\"brightness\":80}"));
      assertThat(delta.path("version").asLong()).isEqualTo(2);

      subscribe(lamp, LAMP + "/get/accepted");
      publish(lamp, LAMP + "/get", "{\"clientToken\":\"boot\"}");
      JsonNode got = next(messages, LAMP + "/get/accepted");
      assertThat(got.path("state").path("delta")).isEqualTo(json("{\"brightness\":80}"));
      assertThat(got.path("state").path("reported")).isEqualTo(json("{\"brightness\":10}"));
      assertThat(got.path("clientToken").asText()).isEqualTo("boot");
    }
  }

  @Test
  void aDeviceCannotTouchOrSeeAnotherThingsShadow() throws Exception {
    hub.issueDevice("heater", "device-policy", certs);
    hub.issueDevice("snoop", "snoop-policy", certs);
    Mqtt5BlockingClient heater = connect("heater");
    Mqtt5BlockingClient snoop = connect("snoop");
    try (Mqtt5Publishes seen = snoop.publishes(MqttGlobalPublishFilter.ALL)) {
      // The snoop may subscribe to every shadow topic, but iot:Receive filters lamp's away.
      subscribe(snoop, "$aws/things/+/shadow/#");

      assertThatThrownBy(
              () -> publish(heater, LAMP + "/update", "{\"state\":{\"desired\":{\"x\":1}}}"))
          .isInstanceOfSatisfying(
              Mqtt5PubAckException.class,
              e ->
                  assertThat(e.getMqttMessage().getReasonCode())
                      .isEqualTo(Mqtt5PubAckReasonCode.NOT_AUTHORIZED));
      assertThatThrownBy(() -> heater.subscribeWith().topicFilter(LAMP + "/update/delta").send())
          .hasMessageContaining("SUBACK contains only Error Codes");

      assertThat(hub.cli("shadow", "update", "lamp", "--desired", "{\"x\":2}").exitCode()).isZero();
      publish(snoop, "$aws/things/snoop/shadow/update", "{\"state\":{\"reported\":{\"ok\":1}}}");

      // The snoop's own answer arrives; nothing of lamp's ever does.
      Mqtt5Publish first = seen.receive(10, TimeUnit.SECONDS).orElseThrow();
      assertThat(first.getTopic().toString()).startsWith("$aws/things/snoop/");
      Optional<Mqtt5Publish> more;
      while ((more = seen.receive(1, TimeUnit.SECONDS)).isPresent()) {
        assertThat(more.get().getTopic().toString()).startsWith("$aws/things/snoop/");
      }
    }
    assertThat(json(hub.cli("shadow", "get", "lamp").out()).path("state").path("desired"))
        .isEqualTo(json("{\"x\":2}"));
  }

  @Test
  void deletingTheThingDeletesItsShadows() throws Exception {
    assertThat(hub.cli("shadow", "update", "lamp", "--reported", "{\"a\":1}").exitCode()).isZero();
    assertThat(
            hub.cli("shadow", "update", "lamp", "--name", "fw", "--reported", "{\"v\":1}")
                .exitCode())
        .isZero();

    assertThat(hub.cli("thing", "delete", "lamp").exitCode()).isZero();
    assertThat(hub.cli("thing", "create", "lamp").exitCode()).isZero();

    assertThat(hub.cli("shadow", "get", "lamp").err()).contains("No shadow exists");
    assertThat(hub.cli("shadow", "list", "lamp").out()).isBlank();
    var created = hub.cli("shadow", "update", "lamp", "--reported", "{\"a\":1}");
    assertThat(json(created.out()).path("version").asLong()).isEqualTo(1);
  }

  @Test
  void operatorRefusalsAreOneLineErrorsWithTheAwsMessage() throws Exception {
    assertThat(hub.cli("shadow", "update", "lamp", "--reported", "{\"a\":1}").exitCode()).isZero();

    var stale =
        hub.cli("shadow", "update", "lamp", "--desired", "{\"a\":2}", "--expected-version", "5");
    assertThat(stale.exitCode()).isEqualTo(1);
    assertThat(stale.err().strip()).endsWith("Version conflict").doesNotContain("\n");
    var badJson = hub.cli("shadow", "update", "lamp", "--desired", "{a");
    assertThat(badJson.exitCode()).isEqualTo(1);
    assertThat(badJson.err()).contains("--desired is not valid JSON");
    var notObject = hub.cli("shadow", "update", "lamp", "--desired", "[1]");
    assertThat(notObject.err()).contains("Desired node must be an object");
    var unknownThing = hub.cli("shadow", "get", "nobody");
    assertThat(unknownThing.err()).contains("Thing not found");
    var neither = hub.cli("shadow", "update", "lamp");
    assertThat(neither.exitCode()).isEqualTo(2);
    assertThat(json(hub.cli("shadow", "get", "lamp").out()).path("version").asLong()).isEqualTo(1);
  }

  private DeviceClients clients(int port) {
    return new DeviceClients(port, certs);
  }

  private Mqtt5BlockingClient connect(String thing) throws Exception {
    Mqtt5BlockingClient client = clients.mqtt5(thing, thing);
    client.connect();
    connected.add(client);
    return client;
  }

  private static void subscribe(Mqtt5BlockingClient client, String... filters) {
    for (String filter : filters) {
      var subAck = client.subscribeWith().topicFilter(filter).qos(MqttQos.AT_LEAST_ONCE).send();
      assertThat(subAck.getReasonCodes()).as(filter).allMatch(code -> !code.isError());
    }
  }

  private static void publish(Mqtt5BlockingClient client, String topic, String payload) {
    client
        .publishWith()
        .topic(topic)
        .payload(payload.getBytes(StandardCharsets.UTF_8))
        .qos(MqttQos.AT_LEAST_ONCE)
        .send();
  }

  /** The next message, which must be on {@code topic}, as JSON. */
  private static JsonNode next(Mqtt5Publishes messages, String topic) throws Exception {
    Mqtt5Publish message =
        messages
            .receive(10, TimeUnit.SECONDS)
            .orElseThrow(() -> new AssertionError("no message on " + topic));
    assertThat(message.getTopic().toString()).isEqualTo(topic);
    return JSON.readTree(message.getPayloadAsBytes());
  }

  private static JsonNode json(String text) throws Exception {
    return JSON.readTree(text);
  }
}
