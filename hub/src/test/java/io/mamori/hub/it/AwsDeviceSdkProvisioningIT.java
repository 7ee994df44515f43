package io.mamori.hub.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.crt.CRT;
import software.amazon.awssdk.crt.iot.MqttRequestResponseClientOptions;
import software.amazon.awssdk.crt.mqtt5.Mqtt5Client;
import software.amazon.awssdk.crt.mqtt5.Mqtt5ClientOptions;
import software.amazon.awssdk.crt.mqtt5.OnAttemptingConnectReturn;
import software.amazon.awssdk.crt.mqtt5.OnConnectionFailureReturn;
import software.amazon.awssdk.crt.mqtt5.OnConnectionSuccessReturn;
import software.amazon.awssdk.crt.mqtt5.OnDisconnectionReturn;
import software.amazon.awssdk.crt.mqtt5.OnStoppedReturn;
import software.amazon.awssdk.crt.mqtt5.packets.ConnectPacket;
import software.amazon.awssdk.iot.AwsIotMqtt5ClientBuilder;
import software.amazon.awssdk.iot.iotidentity.IotIdentityV2Client;
import software.amazon.awssdk.iot.iotidentity.model.CreateKeysAndCertificateRequest;
import software.amazon.awssdk.iot.iotidentity.model.CreateKeysAndCertificateResponse;
import software.amazon.awssdk.iot.iotidentity.model.RegisterThingRequest;
import software.amazon.awssdk.iot.iotidentity.model.RegisterThingResponse;
import software.amazon.awssdk.iot.iotidentity.model.V2ErrorResponseException;

/**
 * The AWS IoT Device SDK for Java v2 identity client (fleet provisioning by claim), unchanged but
 * for port and CA: CreateKeysAndCertificate and RegisterThing with a claim certificate, then the
 * device connects with the certificate it got.
 */
class AwsDeviceSdkProvisioningIT {
  static final String CLAIM =
      """
      {"Version": "2012-10-17", "Statement": [
       {"Effect": "Allow", "Action": "iot:Connect", "Resource": "*"},
       {"Effect": "Allow", "Action": ["iot:Publish", "iot:Receive"],
        "Resource": ["arn:aws:iot:*:*:topic/$aws/certificates/create/*",
                     "arn:aws:iot:*:*:topic/$aws/provisioning-templates/fleet/provision/*"]},
       {"Effect": "Allow", "Action": "iot:Subscribe",
        "Resource": ["arn:aws:iot:*:*:topicfilter/$aws/certificates/create/*",
                     "arn:aws:iot:*:*:topicfilter/$aws/provisioning-templates/fleet/provision/*"]}]}
      """;

  static final String DEVICE =
      """
      {"Version": "2012-10-17", "Statement": [
       {"Effect": "Allow", "Action": "iot:Connect",
        "Resource": "arn:aws:iot:*:*:client/${iot:Connection.Thing.ThingName}"}]}
      """;

  static final String TEMPLATE =
      """
      {"Parameters": {"SerialNumber": {"Type": "String"}},
       "Resources": {
        "certificate": {"Type": "AWS::IoT::Certificate",
           "Properties": {"CertificateId": {"Ref": "AWS::IoT::Certificate::Id"}, "Status": "Active"}},
        "policy": {"Type": "AWS::IoT::Policy", "Properties": {"PolicyName": "device"}},
        "thing": {"Type": "AWS::IoT::Thing",
           "Properties": {"ThingName": {"Fn::Join": ["", ["sdk_", {"Ref": "SerialNumber"}]]}}}},
       "DeviceConfiguration": {"Foo": "Bar"}}
      """;

  @TempDir Path dir;
  private HubFixture hub;
  private Path certs;
  private final List<Mqtt5Client> clients = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    hub = new HubFixture(dir.resolve("data")).start();
    certs = dir.resolve("certs");
    assertThat(hub.createPolicy("claim", CLAIM).exitCode()).isZero();
    assertThat(hub.createPolicy("device", DEVICE).exitCode()).isZero();
    hub.issueDevice("claim", "claim", certs);
    assertThat(hub.cli("thing", "delete", "claim").exitCode()).isZero();
    Path template = dir.resolve("fleet.json");
    Files.writeString(template, TEMPLATE);
    var created =
        hub.cli("template", "create", "fleet", "--document", template.toString(), "--enabled");
    assertThat(created.exitCode()).as(created.err()).isZero();
  }

  @AfterEach
  void stop() {
    for (Mqtt5Client client : clients) {
      client.stop();
      client.close();
    }
    hub.close();
  }

  private Mqtt5Client connect(Path certificate, Path key, String clientId) {
    List<String> failures = new CopyOnWriteArrayList<>();
    Mqtt5Client client;
    try (AwsIotMqtt5ClientBuilder builder =
        AwsIotMqtt5ClientBuilder.newDirectMqttBuilderWithMtlsFromPath(
            "localhost", certificate.toString(), key.toString())) {
      builder
          .withPort((long) hub.mqttPort())
          .withCertificateAuthorityFromPath(null, certs.resolve("ca.crt").toString())
          .withConnectProperties(new ConnectPacket.ConnectPacketBuilder().withClientId(clientId))
          .withLifeCycleEvents(new Failures(failures));
      client = builder.build();
    }
    clients.add(client);
    client.start();
    try {
      await()
          .atMost(Duration.ofSeconds(20))
          .failFast("connect keeps failing", () -> failures.size() > 2)
          .until(client::getIsConnected);
    } catch (RuntimeException e) {
      throw new AssertionError("the SDK did not connect: " + failures, e);
    }
    return client;
  }

  @Test
  void theSdkIdentityClientProvisionsByClaimAndTheDeviceConnects() throws Exception {
    Mqtt5Client claim = connect(certs.resolve("claim.crt"), certs.resolve("claim.key"), "f-1");
    try (IotIdentityV2Client identity =
        IotIdentityV2Client.newFromMqtt5(
            claim,
            MqttRequestResponseClientOptions.builder()
                .withMaxRequestResponseSubscriptions(4)
                .withMaxStreamingSubscriptions(2)
                .withOperationTimeoutSeconds(30)
                .build())) {
      CreateKeysAndCertificateResponse keys =
          identity
              .createKeysAndCertificate(new CreateKeysAndCertificateRequest())
              .get(30, TimeUnit.SECONDS);
      var register = new RegisterThingRequest();
      register.templateName = "fleet";
      register.certificateOwnershipToken = keys.certificateOwnershipToken;
      register.parameters = new HashMap<>(Map.of("SerialNumber", "42"));
      RegisterThingResponse registered = identity.registerThing(register).get(30, TimeUnit.SECONDS);
      assertThat(registered.thingName).isEqualTo("sdk_42");
      assertThat(registered.deviceConfiguration).containsEntry("Foo", "Bar");

      // The same token again: the SDK's future fails with the rejected answer.
      assertThatThrownBy(() -> identity.registerThing(register).get(30, TimeUnit.SECONDS))
          .cause()
          .isInstanceOfSatisfying(
              V2ErrorResponseException.class,
              e -> {
                assertThat(e.getModeledError().statusCode).isEqualTo(400);
                assertThat(e.getModeledError().errorCode)
                    .isEqualTo("InvalidCertificateOwnershipToken");
              });

      Path cert = dir.resolve("device.crt");
      Path key = dir.resolve("device.key");
      Files.writeString(cert, keys.certificatePem);
      Files.writeString(key, keys.privateKey);
      Mqtt5Client device = connect(cert, key, "sdk_42");
      assertThat(device.getIsConnected()).isTrue();
    }
  }

  private static final class Failures implements Mqtt5ClientOptions.LifecycleEvents {
    private final List<String> failures;

    Failures(List<String> failures) {
      this.failures = failures;
    }

    @Override
    public void onAttemptingConnect(Mqtt5Client client, OnAttemptingConnectReturn event) {}

    @Override
    public void onConnectionSuccess(Mqtt5Client client, OnConnectionSuccessReturn event) {}

    @Override
    public void onConnectionFailure(Mqtt5Client client, OnConnectionFailureReturn event) {
      failures.add(CRT.awsErrorString(event.getErrorCode()));
    }

    @Override
    public void onDisconnection(Mqtt5Client client, OnDisconnectionReturn event) {}

    @Override
    public void onStopped(Mqtt5Client client, OnStoppedReturn event) {}
  }
}
