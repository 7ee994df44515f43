package io.mamori.hub.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Raw-byte edge cases of the protocol, each checking the broker's exact answer. */
class ProtocolIT {
  private BrokerFixture hub;

  @BeforeEach
  void start() {
    hub = new BrokerFixture();
    hub.limits = TestLimits.withMaxPacketSize(2048);
    hub.start();
  }

  @AfterEach
  void stop() {
    hub.close();
  }

  private RawClient raw(String principal, String... alpn) throws Exception {
    return new RawClient(hub.pki, hub.pki.clientIdentity(principal), hub.broker.port(), alpn);
  }

  @Test
  void malformedPacketsCloseOnlyTheirOwnConnection() throws Exception {
    var healthy = hub.client5("healthy", "device-a");
    healthy.connect();
    try (var received = healthy.publishes(MqttGlobalPublishFilter.ALL)) {
      healthy.subscribeWith().topicFilter("still/working").qos(MqttQos.AT_LEAST_ONCE).send();

      try (var publishFirst = raw("device-b")) {
        publishFirst.send(RawClient.publish(4, "a/b", 0, new byte[] {1}));
        assertThat(publishFirst.closedByServer()).isTrue();
      }
      try (var badName = raw("device-b")) {
        byte[] connect = RawClient.connect311("bad", true);
        connect[4] = 'X'; // protocol name "MXTT"
        badName.send(connect);
        assertThat(badName.closedByServer()).isTrue();
      }
      try (var garbage = raw("device-b")) {
        garbage.send(RawClient.connect311("garbage", true));
        assertThat(RawClient.hex(garbage.readPacket())).isEqualTo("20020000");
        garbage.send(new byte[] {(byte) 0xF0, 0x00}); // reserved packet type 15
        assertThat(garbage.closedByServer()).isTrue();
      }

      healthy
          .publishWith()
          .topic("still/working")
          .payload(new byte[] {7})
          .qos(MqttQos.AT_LEAST_ONCE)
          .send();
      assertThat(received.receive(5, TimeUnit.SECONDS)).isPresent();
      assertThat(healthy.getState().isConnected()).isTrue();
    }
  }

  @Test
  void secondConnectOnAConnectionIsAProtocolViolation() throws Exception {
    try (var client = raw("device-a")) {
      client.send(RawClient.connect311("twice", true));
      assertThat(RawClient.hex(client.readPacket())).isEqualTo("20020000");
      client.send(RawClient.connect311("twice", true));
      assertThat(client.closedByServer()).isTrue();
    }
  }

  @Test
  void qos2PublishIsRefusedWithDisconnectOnMqtt5AndCloseOnMqtt311() throws Exception {
    try (var v5 = raw("device-a")) {
      v5.send(RawClient.connect5("q2-5"));
      byte[] connAck = v5.readPacket();
      assertThat(connAck[0]).isEqualTo((byte) 0x20);
      v5.send(RawClient.publish(5, "a/b", 2, new byte[] {1}));
      byte[] disconnect = v5.readPacket();
      assertThat(disconnect[0]).isEqualTo((byte) 0xE0);
      assertThat(disconnect[2]).isEqualTo((byte) 0x9B);
      assertThat(v5.closedByServer()).isTrue();
    }
    try (var v3 = raw("device-a")) {
      v3.send(RawClient.connect311("q2-3", true));
      v3.readPacket();
      v3.send(RawClient.publish(4, "a/b", 2, new byte[] {1}));
      assertThat(v3.closedByServer()).isTrue();
    }
  }

  @Test
  void packetTooLargeIsRefusedWithDisconnectOnMqtt5AndCloseOnMqtt311() throws Exception {
    byte[] big = new byte[4096];
    try (var v5 = raw("device-a")) {
      v5.send(RawClient.connect5("big-5"));
      v5.readPacket();
      v5.send(RawClient.publish(5, "a/b", 0, big));
      byte[] disconnect = v5.readPacket();
      assertThat(disconnect[0]).isEqualTo((byte) 0xE0);
      assertThat(disconnect[2]).isEqualTo((byte) 0x95);
      assertThat(v5.closedByServer()).isTrue();
    }
    try (var v3 = raw("device-a")) {
      v3.send(RawClient.connect311("big-3", true));
      v3.readPacket();
      v3.send(RawClient.publish(4, "a/b", 0, big));
      assertThat(v3.closedByServer()).isTrue();
    }
  }

  @Test
  void emptyClientIdWithoutCleanSessionIsRejectedOnMqtt311() throws Exception {
    try (var client = raw("device-a")) {
      client.send(RawClient.connect311("", false));
      // MQTT 3.1.1 §3.1.3.1: CONNACK return code 2, identifier rejected.
      assertThat(RawClient.hex(client.readPacket())).isEqualTo("20020002");
      assertThat(client.closedByServer()).isTrue();
    }
  }

  @Test
  void refusedAuthenticationGetsConnAckNotAuthorized() throws Exception {
    try (var v3 = raw("refused-device")) {
      v3.send(RawClient.connect311("r3", true));
      assertThat(RawClient.hex(v3.readPacket())).isEqualTo("20020005");
      assertThat(v3.closedByServer()).isTrue();
    }
    try (var v5 = raw("refused-device")) {
      v5.send(RawClient.connect5("r5"));
      byte[] connAck = v5.readPacket();
      assertThat(connAck[3]).isEqualTo((byte) 0x87);
      assertThat(v5.closedByServer()).isTrue();
    }
    assertThat(hub.events("mqtt.connect"))
        .filteredOn(e -> e.outcome().equals("denied"))
        .extracting(e -> e.actor() + " " + e.subject() + " " + e.reason())
        .containsExactly("unknown r3 test: refused", "unknown r5 test: refused");
  }

  @Test
  void alpnOffersAreAcceptedOrIgnoredButNeverRequired() throws Exception {
    try (var aws = raw("device-a", "x-amzn-mqtt-ca")) {
      assertThat(aws.applicationProtocol()).isEqualTo("x-amzn-mqtt-ca");
      aws.send(RawClient.connect311("alpn-aws", true));
      assertThat(RawClient.hex(aws.readPacket())).isEqualTo("20020000");
    }
    try (var other = raw("device-a", "h2", "http/1.1")) {
      assertThat(other.applicationProtocol()).isEmpty();
      other.send(RawClient.connect311("alpn-other", true));
      assertThat(RawClient.hex(other.readPacket())).isEqualTo("20020000");
    }
  }

  @Test
  void mqtt5ConnAckAdvertisesMaximumQos1() throws Exception {
    try (var v5 = raw("device-a")) {
      v5.send(RawClient.connect5("props"));
      byte[] connAck = v5.readPacket();
      String hex = RawClient.hex(connAck);
      // Property 0x24 Maximum QoS = 1.
      assertThat(hex).contains("2401");
      assertThat(new String(connAck, StandardCharsets.ISO_8859_1)).isNotEmpty();
    }
  }

  @Test
  void gracefulCloseTellsMqtt5ClientsTheServerIsShuttingDown() throws Exception {
    try (var v5 = raw("device-a")) {
      v5.send(RawClient.connect5("bye"));
      v5.readPacket();
      hub.broker.close();
      byte[] disconnect = v5.readPacket();
      assertThat(disconnect[0]).isEqualTo((byte) 0xE0);
      assertThat(disconnect[2]).isEqualTo((byte) 0x8B);
    }
    assertThat(hub.events("mqtt.disconnect"))
        .singleElement()
        .satisfies(e -> assertThat(e.reason()).isEqualTo("SERVER_INITIATED_DISCONNECT"));
  }
}
