package io.mamori.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import com.sun.net.httpserver.HttpServer;
import io.mamori.agent.cli.AgentMain;
import io.mamori.agent.connection.DeviceConnection;
import io.mamori.agent.connection.Endpoint;
import io.mamori.agent.connection.RequestResponse;
import io.mamori.agent.credentials.DeviceCredentials;
import io.mamori.agent.identity.CertificateApi;
import io.mamori.agent.identity.KeyAndCsr;
import io.mamori.hub.events.HubEvent;
import io.mamori.hub.it.HubFixture;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fleet provisioning by claim against a real hub over MQTT/mTLS (reference §1): the agent turns a
 * shared claim certificate into a device identity, and every refusal the reference names is
 * answered on {@code .../rejected}.
 */
class ProvisioningIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Reference §1.3: the claim certificate may use the provisioning topics and nothing else. */
  static final String CLAIM =
      """
      {"Version": "2012-10-17", "Statement": [
       {"Effect": "Allow", "Action": "iot:Connect", "Resource": "*"},
       {"Effect": "Allow", "Action": ["iot:Publish", "iot:Receive"],
        "Resource": ["arn:aws:iot:*:*:topic/$aws/certificates/create-from-csr/*",
                     "arn:aws:iot:*:*:topic/$aws/provisioning-templates/fleet/provision/*"]},
       {"Effect": "Allow", "Action": "iot:Subscribe",
        "Resource": ["arn:aws:iot:*:*:topicfilter/$aws/certificates/create-from-csr/*",
                     "arn:aws:iot:*:*:topicfilter/$aws/provisioning-templates/fleet/provision/*"]}]}
      """;

  /** Reference §5.5's device policy. */
  static final String DEVICE =
      """
      {"Version": "2012-10-17", "Statement": [
       {"Effect": "Allow", "Action": "iot:Connect",
        "Resource": "arn:aws:iot:*:*:client/${iot:Connection.Thing.ThingName}"},
       {"Effect": "Allow", "Action": "iot:Publish",
        "Resource": "arn:aws:iot:*:*:topic/devices/${iot:Connection.Thing.ThingName}/*"}]}
      """;

  /** Reference §1.4's example, with a named device policy and a hook-overridable attribute. */
  static final String TEMPLATE =
      """
      {"Parameters": {"SerialNumber": {"Type": "String"},
                      "Site": {"Type": "String", "Default": "factory"},
                      "AWS::IoT::Certificate::Id": {"Type": "String"}},
       "Resources": {
        "certificate": {"Type": "AWS::IoT::Certificate",
           "Properties": {"CertificateId": {"Ref": "AWS::IoT::Certificate::Id"}, "Status": "Active"}},
        "policy": {"Type": "AWS::IoT::Policy", "Properties": {"PolicyName": "device"}},
        "thing": {"Type": "AWS::IoT::Thing",
           "OverrideSettings": {"AttributePayload": "MERGE", "ThingGroups": "DO_NOTHING"},
           "Properties": {"AttributePayload": {"site": {"Ref": "Site"}}, "ThingGroups": [],
              "ThingName": {"Fn::Join": ["", ["fp_demo_", {"Ref": "SerialNumber"}]]}}}},
       "DeviceConfiguration": {"Foo": "Bar"}}
      """;

  @TempDir Path dir;
  private HubFixture hub;
  private Path certs;
  private final List<HubEvent> events = new CopyOnWriteArrayList<>();
  private HttpServer hookServer;

  @BeforeEach
  void start() throws Exception {
    hub = new HubFixture(dir.resolve("hub")).start();
    hub.hub().events().subscribe(events::add);
    certs = dir.resolve("certs");
    assertThat(hub.createPolicy("claim", CLAIM).exitCode()).isZero();
    assertThat(hub.createPolicy("device", DEVICE).exitCode()).isZero();
    hub.issueDevice("claim", "claim", certs);
    // A claim certificate belongs to no thing (reference §1.3).
    assertThat(hub.cli("thing", "delete", "claim").exitCode()).isZero();
  }

  @AfterEach
  void stop() {
    if (hookServer != null) {
      hookServer.stop(0);
    }
    if (hub != null) {
      hub.close();
    }
  }

  private HubFixture.CliResult template(String name, String body, String... options)
      throws Exception {
    Path file = Files.createTempFile(dir, name, ".json");
    Files.writeString(file, body);
    List<String> args = new ArrayList<>(List.of("template", "create", name, "--document"));
    args.add(file.toString());
    args.addAll(List.of(options));
    return hub.cli(args.toArray(String[]::new));
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

  private DeviceConnection claimConnection(String clientId) {
    return DeviceConnection.open(
        new Endpoint("localhost", hub.mqttPort()),
        new DeviceCredentials(
            certs.resolve("claim.crt"), certs.resolve("claim.key"), certs.resolve("ca.crt")),
        clientId,
        Duration.ofSeconds(20));
  }

  private JsonNode certificate(String id) throws Exception {
    var shown = hub.cli("cert", "show", id, "--json");
    assertThat(shown.exitCode()).as(shown.err()).isZero();
    return JSON.readTree(shown.out());
  }

  /** RegisterThing as a device SDK sends it; the answer decoded. */
  private static Answer register(
      DeviceConnection connection,
      ObjectMapper format,
      String level,
      String token,
      Map<String, String> parameters)
      throws Exception {
    var request = format.createObjectNode();
    request.put("certificateOwnershipToken", token);
    request.put("templateName", "fleet"); // the Java v2 SDK sends it too (reference §1.2)
    var params = request.putObject("parameters");
    parameters.forEach(params::put);
    RequestResponse.Answer answer =
        connection
            .requests()
            .request(
                "$aws/provisioning-templates/fleet/provision/" + level,
                format.writeValueAsBytes(request));
    return new Answer(answer.accepted(), format.readTree(answer.payload()));
  }

  private record Answer(boolean accepted, JsonNode body) {}

  @Test
  void agentProvisionsADeviceByClaimThatThenPublishesWithItsOwnCertificate() throws Exception {
    assertThat(template("fleet", TEMPLATE, "--enabled").exitCode()).isZero();
    Path out = dir.resolve("device");

    Run run =
        agent(
            "provision",
            "--endpoint",
            "localhost:" + hub.mqttPort(),
            "--ca-file",
            certs.resolve("ca.crt").toString(),
            "--claim-cert",
            certs.resolve("claim.crt").toString(),
            "--claim-key",
            certs.resolve("claim.key").toString(),
            "--template",
            "fleet",
            "--serial",
            "123",
            "--out",
            out.toString(),
            "--timeout",
            "20");

    assertThat(run.exitCode()).as(run.err()).isZero();
    String[] printed = run.out().lines().findFirst().orElseThrow().split(" ");
    assertThat(printed[0]).isEqualTo("fp_demo_123");
    assertThat(run.out()).contains("config Foo=Bar");
    String id = printed[1];
    for (String file : List.of("device.crt", "device.key")) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out.resolve(file))))
          .isEqualTo("rw-------");
    }
    JsonNode registered = certificate(id);
    assertThat(registered.path("status").asText()).isEqualTo("ACTIVE");
    assertThat(registered.path("things").toString()).isEqualTo("[\"fp_demo_123\"]");
    assertThat(registered.path("policies").toString()).contains("device");
    JsonNode thing = JSON.readTree(hub.cli("thing", "show", "fp_demo_123", "--json").out());
    assertThat(thing.path("attributes").path("site").asText()).isEqualTo("factory");
    assertThat(events).anyMatch(e -> e.type().equals("provisioning.registered"));

    // The device's own certificate connects as its thing and may publish on its own topics.
    try (DeviceConnection device =
        DeviceConnection.open(
            new Endpoint("localhost", hub.mqttPort()),
            new DeviceCredentials(
                out.resolve("device.crt"), out.resolve("device.key"), certs.resolve("ca.crt")),
            "fp_demo_123",
            Duration.ofSeconds(20))) {
      var result =
          device
              .client()
              .publishWith()
              .topic("devices/fp_demo_123/telemetry")
              .qos(MqttQos.AT_LEAST_ONCE)
              .payload("{\"t\":21}".getBytes(StandardCharsets.UTF_8))
              .send()
              .get(20, TimeUnit.SECONDS);
      assertThat(result.getError()).isEmpty();
    }
    // The claim certificate cannot publish anywhere else.
    try (DeviceConnection claim = claimConnection("factory-x")) {
      var refused =
          claim
              .client()
              .publishWith()
              .topic("devices/fp_demo_123/telemetry")
              .qos(MqttQos.AT_LEAST_ONCE)
              .payload(new byte[] {1})
              .send();
      assertThatThrownBy(() -> refused.get(20, TimeUnit.SECONDS))
          .cause()
          .isInstanceOfSatisfying(
              Mqtt5PubAckException.class,
              e ->
                  assertThat(e.getMqttMessage().getReasonCode())
                      .isEqualTo(Mqtt5PubAckReasonCode.NOT_AUTHORIZED));
    }
  }

  @Test
  void disabledTemplateReusedTokenAndEmptyTokenAreRejectedAsAwsDoes() throws Exception {
    assertThat(template("fleet", TEMPLATE).exitCode()).isZero(); // disabled by default
    try (DeviceConnection claim = claimConnection("factory-1")) {
      var issued =
          new CertificateApi(claim.requests(), CertificateApi.Format.JSON)
              .createFromCsr(KeyAndCsr.generateP256("factory-1").csrPem());
      String token = issued.certificateOwnershipToken();

      Answer disabled = register(claim, JSON, "json", token, Map.of("SerialNumber", "7"));
      assertThat(disabled.accepted()).isFalse();
      assertThat(disabled.body().path("statusCode").asInt()).isEqualTo(403);
      assertThat(disabled.body().path("errorMessage").asText()).contains("disabled");
      assertThat(certificate(issued.certificateId()).path("status").asText())
          .isEqualTo("PENDING_ACTIVATION");

      assertThat(hub.cli("template", "enable", "fleet").exitCode()).isZero();
      // A parameter missing: refused, nothing written, and the token survives for a retry.
      Answer missing = register(claim, JSON, "json", token, Map.of());
      assertThat(missing.body().path("errorCode").asText()).isEqualTo("InvalidParametersException");
      assertThat(missing.body().path("errorMessage").asText()).contains("SerialNumber");
      assertThat(hub.cli("thing", "show", "fp_demo_7").exitCode()).isNotZero();

      // CBOR this time: the answer comes in CBOR on the cbor topic.
      Answer ok = register(claim, new CBORMapper(), "cbor", token, Map.of("SerialNumber", "7"));
      assertThat(ok.accepted()).as(ok.body().toString()).isTrue();
      assertThat(ok.body().path("thingName").asText()).isEqualTo("fp_demo_7");
      assertThat(ok.body().path("deviceConfiguration").path("Foo").asText()).isEqualTo("Bar");

      // A second certificate for the same serial: the thing exists, AttributePayload MERGE.
      var second =
          new CertificateApi(claim.requests(), CertificateApi.Format.JSON)
              .createFromCsr(KeyAndCsr.generateP256("factory-1").csrPem());
      Answer again =
          register(
              claim,
              JSON,
              "json",
              second.certificateOwnershipToken(),
              Map.of("SerialNumber", "7", "Site", "lab"));
      assertThat(again.accepted()).as(again.body().toString()).isTrue();
      JsonNode thing = JSON.readTree(hub.cli("thing", "show", "fp_demo_7", "--json").out());
      assertThat(thing.path("attributes").path("site").asText()).isEqualTo("lab");
      assertThat(certificate(second.certificateId()).path("things").toString())
          .isEqualTo("[\"fp_demo_7\"]");

      Answer reused = register(claim, JSON, "json", token, Map.of("SerialNumber", "8"));
      assertThat(reused.accepted()).isFalse();
      assertThat(reused.body().path("statusCode").asInt()).isEqualTo(400);
      assertThat(reused.body().path("errorCode").asText())
          .isEqualTo("InvalidCertificateOwnershipToken");
      assertThat(hub.cli("thing", "show", "fp_demo_8").exitCode()).isNotZero();

      Answer empty = register(claim, JSON, "json", "", Map.of("SerialNumber", "9"));
      assertThat(empty.body().toString())
          .isEqualTo(
              "{\"statusCode\":400,\"errorCode\":\"InvalidCertificateOwnershipToken\","
                  + "\"errorMessage\":\"Certificate ownership token cannot be empty.\"}");
    }
  }

  @Test
  void preProvisioningHookCanRefuseOverrideAndFailsClosedOnTimeout() throws Exception {
    AtomicReference<String> answer = new AtomicReference<>();
    List<JsonNode> inputs = new CopyOnWriteArrayList<>();
    hookServer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    hookServer.createContext(
        "/hook",
        exchange -> {
          inputs.add(JSON.readTree(exchange.getRequestBody()));
          String body = answer.get();
          if (body.equals("slow")) {
            try {
              Thread.sleep(7_000); // longer than the hub's 5 s limit (reference §1.5)
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            body = "{\"allowProvisioning\": true}";
          }
          byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, bytes.length);
          exchange.getResponseBody().write(bytes);
          exchange.close();
        });
    hookServer.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    hookServer.start();
    String url = "http://127.0.0.1:" + hookServer.getAddress().getPort() + "/hook";
    assertThat(template("fleet", TEMPLATE, "--enabled", "--hook", url).exitCode()).isZero();

    try (DeviceConnection claim = claimConnection("factory-2")) {
      var issued =
          new CertificateApi(claim.requests(), CertificateApi.Format.JSON)
              .createFromCsr(KeyAndCsr.generateP256("factory-2").csrPem());
      String token = issued.certificateOwnershipToken();

      answer.set("{\"allowProvisioning\": false}");
      Answer refused = register(claim, JSON, "json", token, Map.of("SerialNumber", "5"));
      assertThat(refused.body().path("statusCode").asInt()).isEqualTo(403);
      assertThat(refused.body().path("errorCode").asText()).isEqualTo("ACCESS_DENIED");
      JsonNode input = inputs.get(0);
      assertThat(input.path("certificateId").asText()).isEqualTo(issued.certificateId());
      assertThat(input.path("certificatePem").asText()).isEqualTo(issued.certificatePem());
      assertThat(input.path("claimCertificateId").asText()).matches("[0-9a-f]{64}");
      assertThat(input.path("templateArn").asText()).endsWith(":provisioningtemplate/fleet");
      assertThat(input.path("clientId").asText()).isEqualTo("factory-2");
      assertThat(input.path("parameters").path("SerialNumber").asText()).isEqualTo("5");

      answer.set("slow");
      Answer late = register(claim, JSON, "json", token, Map.of("SerialNumber", "5"));
      assertThat(late.body().path("errorCode").asText()).isEqualTo("ACCESS_DENIED");
      assertThat(late.body().path("errorMessage").asText()).contains("5 s");
      assertThat(certificate(issued.certificateId()).path("status").asText())
          .isEqualTo("PENDING_ACTIVATION");

      answer.set("{\"allowProvisioning\": true, \"parameterOverrides\": {\"Site\": \"Seattle\"}}");
      Answer ok = register(claim, JSON, "json", token, Map.of("SerialNumber", "5"));
      assertThat(ok.accepted()).as(ok.body().toString()).isTrue();
      JsonNode thing = JSON.readTree(hub.cli("thing", "show", "fp_demo_5", "--json").out());
      assertThat(thing.path("attributes").path("site").asText()).isEqualTo("Seattle");
    }
  }

  @Test
  void templatesThatCannotWorkAreRefusedAtCreate() throws Exception {
    var unknownType =
        template(
            "bad1",
            "{\"Resources\": {\"b\": {\"Type\": \"AWS::S3::Bucket\", \"Properties\": {}}}}");
    assertThat(unknownType.exitCode()).isNotZero();
    assertThat(unknownType.err()).contains("unknown Type 'AWS::S3::Bucket'");

    var missingParameter =
        template("bad2", TEMPLATE.replace("{\"Ref\": \"Site\"}", "{\"Ref\": \"Nope\"}"));
    assertThat(missingParameter.exitCode()).isNotZero();
    assertThat(missingParameter.err()).contains("undeclared parameter 'Nope'");

    var notJson = template("bad3", "{\"Resources\": ");
    assertThat(notJson.exitCode()).isNotZero();
    assertThat(notJson.err()).contains("not valid JSON");

    assertThat(hub.cli("template", "list").out()).doesNotContain("bad");

    // The CLI lifecycle of a good one.
    assertThat(template("fleet", TEMPLATE).exitCode()).isZero();
    assertThat(hub.cli("template", "list").out()).contains("fleet").contains("DISABLED");
    assertThat(hub.cli("template", "enable", "fleet").exitCode()).isZero();
    Path hookless = Files.createTempFile(dir, "fleet2", ".json");
    Files.writeString(hookless, TEMPLATE.replace("\"Foo\": \"Bar\"", "\"Foo\": \"Baz\""));
    var updated =
        hub.cli(
            "template",
            "update",
            "fleet",
            "--document",
            hookless.toString(),
            "--hook",
            "https://hooks.example/provision");
    assertThat(updated.exitCode()).as(updated.err()).isZero();
    var shown = hub.cli("template", "show", "fleet");
    assertThat(shown.out())
        .contains("ENABLED")
        .contains("https://hooks.example/provision")
        .contains("Baz");
    assertThat(hub.cli("template", "disable", "fleet").exitCode()).isZero();
    assertThat(hub.cli("template", "show", "fleet").out()).contains("DISABLED");
    assertThat(hub.cli("template", "delete", "fleet").exitCode()).isZero();
    assertThat(hub.cli("template", "show", "fleet").exitCode()).isNotZero();
  }
}
