package io.mamori.hub.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3ConnAckException;
import com.hivemq.client.mqtt.mqtt3.message.connect.connack.Mqtt3ConnAckReturnCode;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException;
import io.mamori.hub.events.HubEvent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * JITP (reference §2.2): a device whose certificate a registered manufacturer's CA issued, never
 * registered, is provisioned by the CA's template on its first CONNECT, which is still refused
 * (CONNACK 5); it reconnects and works within the template's policy. A template the certificate
 * cannot satisfy refuses and creates nothing.
 */
class JustInTimeProvisioningIT {
  /** The AWS JITP shape: everything from the certificate subject; thing named by the CN. */
  static final String TEMPLATE =
      """
      {"Parameters": {
         "AWS::IoT::Certificate::CommonName": {"Type": "String"},
         "AWS::IoT::Certificate::SerialNumber": {"Type": "String"},
         "AWS::IoT::Certificate::Country": {"Type": "String"},
         "AWS::IoT::Certificate::Id": {"Type": "String"}},
       "Resources": {
         "thing": {"Type": "AWS::IoT::Thing",
           "Properties": {
             "ThingName": {"Ref": "AWS::IoT::Certificate::CommonName"},
             "AttributePayload": {"serial": {"Ref": "AWS::IoT::Certificate::SerialNumber"},
                                  "country": {"Ref": "AWS::IoT::Certificate::Country"}}}},
         "certificate": {"Type": "AWS::IoT::Certificate",
           "Properties": {"CertificateId": {"Ref": "AWS::IoT::Certificate::Id"}, "Status": "Active"}},
         "policy": {"Type": "AWS::IoT::Policy",
           "Properties": {"PolicyDocument": "{\\"Version\\": \\"2012-10-17\\", \\"Statement\\": [{\\"Effect\\": \\"Allow\\", \\"Action\\": \\"iot:Connect\\", \\"Resource\\": \\"arn:aws:iot:*:*:client/${iot:Connection.Thing.ThingName}\\"}, {\\"Effect\\": \\"Allow\\", \\"Action\\": [\\"iot:Publish\\", \\"iot:Receive\\"], \\"Resource\\": \\"arn:aws:iot:*:*:topic/devices/${iot:Connection.Thing.ThingName}/*\\"}, {\\"Effect\\": \\"Allow\\", \\"Action\\": \\"iot:Subscribe\\", \\"Resource\\": \\"arn:aws:iot:*:*:topicfilter/devices/${iot:Connection.Thing.ThingName}/*\\"}]}"}}}}
      """;

  @TempDir Path dir;
  private HubFixture hub;
  private FactoryDevices factory;
  private final List<HubEvent> events = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws Exception {
    hub = new HubFixture(dir.resolve("data")).start();
    hub.hub().events().subscribe(events::add);
    factory = new FactoryDevices(hub, dir.resolve("certs"), "Acme Factory CA");
    var template =
        hub.cli(
            "template",
            "create",
            "acme-jitp",
            "--document",
            factory.write("template.json", TEMPLATE).toString(),
            "--enabled");
    assertThat(template.exitCode()).as(template.err()).isZero();
  }

  @AfterEach
  void stop() {
    hub.close();
  }

  @Test
  void firstConnectProvisionsThingAndPolicyIsRefusedAndTheReconnectWorksWithinThePolicy()
      throws Exception {
    String caId =
        factory.registerCa("--set-active", "--allow-auto-registration", "--template", "acme-jitp");
    String certificateId =
        factory.device("sensor-1", "CN=sensor-1,SERIALNUMBER=SN-0001,O=Acme,C=JP");
    var clients = new DeviceClients(hub.mqttPort(), factory.certs);

    // Reference §2.2: the provisioning connection is refused with CONNACK 5 all the same.
    var first = clients.mqtt3("sensor-1", "sensor-1");
    assertThatThrownBy(first::connect)
        .isInstanceOfSatisfying(
            Mqtt3ConnAckException.class,
            e ->
                assertThat(e.getMqttMessage().getReturnCode())
                    .isEqualTo(Mqtt3ConnAckReturnCode.NOT_AUTHORIZED));

    var cert = hub.cli("cert", "show", certificateId);
    assertThat(cert.exitCode()).as(cert.err()).isZero();
    assertThat(cert.out()).contains("ACTIVE", caId, "sensor-1");
    var thing = hub.cli("thing", "show", "sensor-1", "--json");
    assertThat(thing.exitCode()).as(thing.err()).isZero();
    assertThat(thing.out()).contains("\"serial\" : \"SN-0001\"", "\"country\" : \"JP\"");
    assertThat(events)
        .anySatisfy(
            e -> {
              assertThat(e.type()).isEqualTo("jitp.provisioned");
              assertThat(e.subject()).isEqualTo(certificateId);
              assertThat(e.details()).containsEntry("thing", "sensor-1");
            })
        .anySatisfy(
            e -> {
              assertThat(e.type()).isEqualTo("certificate.registered");
              assertThat(e.details()).containsEntry("autoRegistration", "JITP");
            });

    // The reconnect is accepted; the template's policy allows devices/sensor-1/* only.
    Mqtt5BlockingClient device = clients.mqtt5("sensor-1", "sensor-1");
    device.connect();
    try (var received = device.publishes(MqttGlobalPublishFilter.ALL)) {
      var subAck =
          device
              .subscribeWith()
              .topicFilter("devices/sensor-1/#")
              .qos(MqttQos.AT_LEAST_ONCE)
              .send();
      assertThat(subAck.getReasonCodes()).allMatch(code -> !code.isError());
      device
          .publishWith()
          .topic("devices/sensor-1/temp")
          .qos(MqttQos.AT_LEAST_ONCE)
          .payload("21.5".getBytes(StandardCharsets.UTF_8))
          .send();
      var message = received.receive(15, TimeUnit.SECONDS).orElseThrow();
      assertThat(message.getTopic().toString()).isEqualTo("devices/sensor-1/temp");
      assertThatThrownBy(
              () ->
                  device
                      .subscribeWith()
                      .topicFilter("devices/sensor-2/#")
                      .qos(MqttQos.AT_LEAST_ONCE)
                      .send())
          .isInstanceOf(Mqtt5SubAckException.class);
    } finally {
      device.disconnect();
    }

    // An AWS-style device with mosquitto: first attempt refused, the retry publishes.
    MosquittoClients.requireInstalled();
    factory.device("sensor-2", "CN=sensor-2,SERIALNUMBER=SN-0002,O=Acme,C=DE");
    var mosquitto = new MosquittoClients(hub.mqttPort(), factory.certs);
    assertThat(mosquitto.publish("sensor-2", "devices/sensor-2/temp", "1").exitCode()).isNotZero();
    var retry = mosquitto.publish("sensor-2", "devices/sensor-2/temp", "2");
    assertThat(retry.exitCode()).as(retry.output()).isZero();
    // Devices of one template share one policy (its name is the document's hash).
    var policies = hub.cli("policy", "list", "--json");
    assertThat(policies.out().split("\"name\"", -1)).hasSize(2);
  }

  @Test
  void aTemplateParameterTheCertificateLacksRefusesAndCreatesNothing() throws Exception {
    factory.registerCa("--set-active", "--allow-auto-registration", "--template", "acme-jitp");
    // No subject serialNumber and no country: the template declares both.
    String certificateId = factory.device("sensor-3", "CN=sensor-3,O=Acme");
    var clients = new DeviceClients(hub.mqttPort(), factory.certs);

    for (int attempt = 0; attempt < 2; attempt++) {
      var device = clients.mqtt3("sensor-3", "sensor-3");
      assertThatThrownBy(device::connect).isInstanceOf(Mqtt3ConnAckException.class);
    }

    assertThat(events)
        .filteredOn(e -> e.type().equals("jitp.refused"))
        .hasSize(2)
        .allSatisfy(
            e -> {
              assertThat(e.outcome()).isEqualTo(HubEvent.DENIED);
              assertThat(e.subject()).isEqualTo(certificateId);
              assertThat(e.reason())
                  .contains("AWS::IoT::Certificate::")
                  .contains("certificate subject has no such attribute");
            });
    assertThat(hub.cli("cert", "show", certificateId).exitCode()).isNotZero();
    assertThat(hub.cli("thing", "show", "sensor-3").exitCode()).isNotZero();
    assertThat(hub.cli("policy", "list", "--json").out()).doesNotContain("\"name\"");
    assertThat(events).noneMatch(e -> e.type().equals("jitp.provisioned"));
  }

  @Test
  void aTemplateADeviceCannotFillIsRefusedWhenSetAndADisabledTemplateProvisionsNothing()
      throws Exception {
    String caId = factory.registerCa("--set-active", "--allow-auto-registration");
    Path needsInput =
        factory.write(
            "fleet.json",
            TEMPLATE.replace(
                "\"AWS::IoT::Certificate::Country\": {\"Type\": \"String\"}",
                "\"AWS::IoT::Certificate::Country\": {\"Type\": \"String\"},"
                    + " \"Site\": {\"Type\": \"String\"}"));
    assertThat(
            hub.cli("template", "create", "fleet", "--document", needsInput.toString(), "--enabled")
                .exitCode())
        .isZero();
    var refused = hub.cli("ca", "set-template", caId, "fleet");
    assertThat(refused.exitCode()).isNotZero();
    assertThat(refused.err()).contains("JITP template parameter 'Site' has no Default");
    var missing = hub.cli("ca", "set-template", caId, "no-such-template");
    assertThat(missing.exitCode()).isNotZero();
    assertThat(missing.err()).contains("no-such-template");

    var neither = hub.cli("ca", "set-template", caId);
    assertThat(neither.exitCode()).isNotZero();
    assertThat(neither.err()).contains("give a template NAME or --none");
    var set = hub.cli("ca", "set-template", caId, "acme-jitp");
    assertThat(set.exitCode()).as(set.err()).isZero();
    assertThat(hub.cli("template", "disable", "acme-jitp").exitCode()).isZero();
    String certificateId = factory.device("sensor-4", "CN=sensor-4,SERIALNUMBER=SN-4,C=JP");
    var device = new DeviceClients(hub.mqttPort(), factory.certs).mqtt3("sensor-4", "sensor-4");
    assertThatThrownBy(device::connect).isInstanceOf(Mqtt3ConnAckException.class);
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () ->
                assertThat(events)
                    .anySatisfy(
                        e -> {
                          assertThat(e.type()).isEqualTo("jitp.refused");
                          assertThat(e.reason()).contains("acme-jitp is disabled");
                        }));
    assertThat(hub.cli("cert", "show", certificateId).exitCode()).isNotZero();
  }
}
