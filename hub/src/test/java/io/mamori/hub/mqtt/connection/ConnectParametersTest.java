package io.mamori.hub.mqtt.connection;

import static org.assertj.core.api.Assertions.assertThat;

import io.mamori.hub.config.BrokerLimits;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import org.junit.jupiter.api.Test;

class ConnectParametersTest {
  private final BrokerLimits limits = BrokerLimits.defaults();

  @Test
  void keepAliveIsClampedLikeAws() {
    assertThat(ConnectParameters.keepAlive(0, limits)).isEqualTo(1200);
    assertThat(ConnectParameters.keepAlive(1, limits)).isEqualTo(30);
    assertThat(ConnectParameters.keepAlive(29, limits)).isEqualTo(30);
    assertThat(ConnectParameters.keepAlive(60, limits)).isEqualTo(60);
    assertThat(ConnectParameters.keepAlive(1201, limits)).isEqualTo(1200);
  }

  @Test
  void emptyClientIdIsAssignedWithCleanSessionAndRefusedWithout() {
    var assigned = ConnectParameters.parse(connect(MqttVersion.MQTT_3_1_1, "", true, 0), limits);
    assertThat(assigned)
        .isInstanceOfSatisfying(
            ConnectParameters.class,
            p -> {
              assertThat(p.assignedClientId()).isTrue();
              assertThat(p.clientId()).startsWith("mamori-");
            });
    var refused = ConnectParameters.parse(connect(MqttVersion.MQTT_3_1_1, "", false, 0), limits);
    assertThat(refused)
        .isEqualTo(
            new ConnectCheck.Refusal(
                MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED,
                "empty client id without clean session"));
  }

  @Test
  void clientIdOverTheLimitIsRefused() {
    var check =
        ConnectParameters.parse(connect(MqttVersion.MQTT_5, "x".repeat(129), true, 0), limits);
    assertThat(check).isInstanceOf(ConnectCheck.Refusal.class);
  }

  @Test
  void sessionExpiryComesFromCleanSessionOrTheMqtt5PropertyCappedByTheLimit() {
    var v3 =
        (ConnectParameters)
            ConnectParameters.parse(connect(MqttVersion.MQTT_3_1_1, "c", false, 0), limits);
    assertThat(v3.sessionExpirySeconds()).isEqualTo(3600);
    var v5 =
        (ConnectParameters)
            ConnectParameters.parse(connect(MqttVersion.MQTT_5, "c", false, -1), limits);
    assertThat(v5.requestedExpiry()).isEqualTo(0xFFFFFFFFL);
    assertThat(v5.sessionExpirySeconds()).isEqualTo(limits.maxSessionExpiry().toSeconds());
    var clean5 =
        (ConnectParameters)
            ConnectParameters.parse(connect(MqttVersion.MQTT_5, "c", true, 0), limits);
    assertThat(clean5.persistent()).isFalse();
  }

  @Test
  void receiveMaximumComesFromTheMqtt5PropertyAndZeroIsAProtocolError() {
    var v3 =
        (ConnectParameters)
            ConnectParameters.parse(connect(MqttVersion.MQTT_3_1_1, "c", true, 0), limits);
    assertThat(v3.receiveMaximum()).isEqualTo(65535);
    var absent =
        (ConnectParameters)
            ConnectParameters.parse(connect(MqttVersion.MQTT_5, "c", true, 0), limits);
    assertThat(absent.receiveMaximum()).isEqualTo(65535);
    assertThat(ConnectParameters.parse(withReceiveMaximum(10), limits))
        .isInstanceOfSatisfying(
            ConnectParameters.class, p -> assertThat(p.receiveMaximum()).isEqualTo(10));
    assertThat(ConnectParameters.parse(withReceiveMaximum(0), limits))
        .isInstanceOfSatisfying(
            ConnectCheck.Refusal.class,
            r ->
                assertThat(r.code())
                    .isEqualTo(MqttConnectReturnCode.CONNECTION_REFUSED_PROTOCOL_ERROR));
  }

  private static MqttConnectMessage withReceiveMaximum(int receiveMaximum) {
    var properties = new MqttProperties();
    properties.add(
        new MqttProperties.IntegerProperty(
            MqttPropertyType.RECEIVE_MAXIMUM.value(), receiveMaximum));
    return MqttMessageBuilders.connect()
        .protocolVersion(MqttVersion.MQTT_5)
        .clientId("c")
        .cleanSession(true)
        .properties(properties)
        .build();
  }

  @Test
  void usernameWithoutPasswordIsAccepted() {
    MqttConnectMessage connect =
        MqttMessageBuilders.connect()
            .protocolVersion(MqttVersion.MQTT_3_1_1)
            .clientId("c")
            .cleanSession(true)
            .username("?SDK=Java&Version=1.0")
            .build();
    var check = ConnectParameters.parse(connect, limits);
    assertThat(check)
        .isInstanceOfSatisfying(
            ConnectParameters.class,
            p -> assertThat(p.username()).contains("?SDK=Java&Version=1.0"));
  }

  @Test
  void qos2WillIsDowngradedToQos1() {
    MqttConnectMessage connect =
        MqttMessageBuilders.connect()
            .protocolVersion(MqttVersion.MQTT_3_1_1)
            .clientId("c")
            .cleanSession(true)
            .willFlag(true)
            .willTopic("status/c")
            .willMessage(new byte[] {1})
            .willQoS(MqttQoS.EXACTLY_ONCE)
            .build();
    var p = (ConnectParameters) ConnectParameters.parse(connect, limits);
    assertThat(p.will()).hasValueSatisfying(w -> assertThat(w.qos()).isEqualTo(1));
  }

  private static MqttConnectMessage connect(
      MqttVersion version, String clientId, boolean clean, int expiry) {
    var properties = new MqttProperties();
    if (expiry != 0) {
      properties.add(
          new MqttProperties.IntegerProperty(
              MqttPropertyType.SESSION_EXPIRY_INTERVAL.value(), expiry));
    }
    return MqttMessageBuilders.connect()
        .protocolVersion(version)
        .clientId(clientId)
        .cleanSession(clean)
        .properties(properties)
        .build();
  }
}
