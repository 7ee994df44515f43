package io.mamori.hub.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
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
import software.amazon.awssdk.crt.iot.StreamingOperation;
import software.amazon.awssdk.crt.mqtt5.Mqtt5Client;
import software.amazon.awssdk.crt.mqtt5.Mqtt5ClientOptions;
import software.amazon.awssdk.crt.mqtt5.OnAttemptingConnectReturn;
import software.amazon.awssdk.crt.mqtt5.OnConnectionFailureReturn;
import software.amazon.awssdk.crt.mqtt5.OnConnectionSuccessReturn;
import software.amazon.awssdk.crt.mqtt5.OnDisconnectionReturn;
import software.amazon.awssdk.crt.mqtt5.OnStoppedReturn;
import software.amazon.awssdk.crt.mqtt5.packets.ConnectPacket;
import software.amazon.awssdk.iot.AwsIotMqtt5ClientBuilder;
import software.amazon.awssdk.iot.V2ClientStreamOptions;
import software.amazon.awssdk.iot.iotshadow.IotShadowV2Client;
import software.amazon.awssdk.iot.iotshadow.model.GetShadowRequest;
import software.amazon.awssdk.iot.iotshadow.model.GetShadowResponse;
import software.amazon.awssdk.iot.iotshadow.model.ShadowDeltaUpdatedEvent;
import software.amazon.awssdk.iot.iotshadow.model.ShadowDeltaUpdatedSubscriptionRequest;
import software.amazon.awssdk.iot.iotshadow.model.ShadowState;
import software.amazon.awssdk.iot.iotshadow.model.UpdateShadowRequest;
import software.amazon.awssdk.iot.iotshadow.model.UpdateShadowResponse;

/**
 * The AWS IoT Device SDK for Java v2 shadow client (reference §11.2, §12.2), unchanged but for port
 * and CA, against a real hub over loopback: its request/response matching by clientToken, its Gson
 * payloads with extra keys, and its delta stream all have to work.
 */
class AwsDeviceSdkShadowIT {
  @TempDir Path dir;
  private HubFixture hub;
  private Mqtt5Client mqtt;
  private IotShadowV2Client shadow;

  @BeforeEach
  void start() throws Exception {
    hub = new HubFixture(dir.resolve("data")).start();
    Path certs = dir.resolve("certs");
    assertThat(hub.createPolicy("device-policy", ShadowIT.DEVICE_POLICY).exitCode()).isZero();
    hub.issueDevice("lamp", "device-policy", certs);
    try (AwsIotMqtt5ClientBuilder builder =
        AwsIotMqtt5ClientBuilder.newDirectMqttBuilderWithMtlsFromPath(
            "localhost",
            certs.resolve("lamp.crt").toString(),
            certs.resolve("lamp.key").toString())) {
      builder
          .withPort((long) hub.mqttPort())
          .withCertificateAuthorityFromPath(null, certs.resolve("ca.crt").toString())
          .withConnectProperties(new ConnectPacket.ConnectPacketBuilder().withClientId("lamp"))
          .withLifeCycleEvents(new ConnectionFailures());
      mqtt = builder.build();
    }
    mqtt.start();
    try {
      await()
          .atMost(Duration.ofSeconds(20))
          .failFast("connect keeps failing", () -> connectFailures.size() > 2)
          .until(mqtt::getIsConnected);
    } catch (RuntimeException e) {
      throw new AssertionError("the SDK did not connect: " + connectFailures, e);
    }
    shadow =
        IotShadowV2Client.newFromMqtt5(
            mqtt,
            MqttRequestResponseClientOptions.builder()
                .withMaxRequestResponseSubscriptions(4)
                .withMaxStreamingSubscriptions(2)
                .withOperationTimeoutSeconds(30)
                .build());
  }

  /** The SDK requires lifecycle callbacks; a failed connect attempt is kept for the message. */
  private final List<String> connectFailures = new CopyOnWriteArrayList<>();

  private final class ConnectionFailures implements Mqtt5ClientOptions.LifecycleEvents {
    @Override
    public void onAttemptingConnect(Mqtt5Client client, OnAttemptingConnectReturn event) {}

    @Override
    public void onConnectionSuccess(Mqtt5Client client, OnConnectionSuccessReturn event) {}

    @Override
    public void onConnectionFailure(Mqtt5Client client, OnConnectionFailureReturn event) {
      connectFailures.add(CRT.awsErrorString(event.getErrorCode()));
    }

    @Override
    public void onDisconnection(Mqtt5Client client, OnDisconnectionReturn event) {}

    @Override
    public void onStopped(Mqtt5Client client, OnStoppedReturn event) {}
  }

  @AfterEach
  void stop() {
    if (shadow != null) {
      shadow.close();
    }
    if (mqtt != null) {
      mqtt.stop();
      mqtt.close();
    }
    hub.close();
  }

  @Test
  void theSdkShadowClientUpdatesGetsAndReceivesTheDelta() throws Exception {
    List<ShadowDeltaUpdatedEvent> deltas = new CopyOnWriteArrayList<>();
    var subscription = new ShadowDeltaUpdatedSubscriptionRequest();
    subscription.thingName = "lamp";
    StreamingOperation stream =
        shadow.createShadowDeltaUpdatedStream(
            subscription,
            V2ClientStreamOptions.<ShadowDeltaUpdatedEvent>builder()
                .withStreamEventHandler(deltas::add)
                .build());
    stream.open();
    hub.awaitSubscription("lamp", "$aws/things/lamp/shadow/update/delta");

    UpdateShadowRequest report = new UpdateShadowRequest();
    report.thingName = "lamp";
    report.state = new ShadowState();
    report.state.reported = new HashMap<>(Map.of("color", "green"));
    UpdateShadowResponse accepted = shadow.updateShadow(report).get(30, TimeUnit.SECONDS);
    assertThat(accepted.version).isEqualTo(1);
    assertThat(accepted.state.reported).containsEntry("color", "green");

    var cli = hub.cli("shadow", "update", "lamp", "--desired", "{\"color\":\"red\"}");
    assertThat(cli.exitCode()).as(cli.err()).isZero();
    await().atMost(Duration.ofSeconds(20)).until(() -> !deltas.isEmpty());
    assertThat(deltas.get(0).state).containsEntry("color", "red");
    assertThat(deltas.get(0).version).isEqualTo(2);

    var get = new GetShadowRequest();
    get.thingName = "lamp";
    GetShadowResponse document = shadow.getShadow(get).get(30, TimeUnit.SECONDS);
    assertThat(document.version).isEqualTo(2);
    assertThat(document.state.delta).containsEntry("color", "red");
    assertThat(document.state.reported).containsEntry("color", "green");
    assertThat(document.timestamp.getTime()).isGreaterThan(1_700_000_000_000L);
    stream.close();
  }
}
