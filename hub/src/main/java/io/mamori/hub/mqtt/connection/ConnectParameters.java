package io.mamori.hub.mqtt.connection;

import io.mamori.hub.config.BrokerLimits;
import io.mamori.hub.mqtt.routing.Topics;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.UUID;

/**
 * What a CONNECT asks for, checked against the limits: client id (assigned when allowed), the
 * effective keep-alive and session expiry, and the will.
 *
 * @param assignedClientId the client sent an empty id and the broker chose this one
 * @param requestedKeepAlive what the client asked for, to tell MQTT 5 clients when it differs
 * @param requestedExpiry what the client asked for, to tell MQTT 5 clients when it was capped
 * @param receiveMaximum QoS 1 PUBLISHes the client accepts unacknowledged (MQTT 5 §3.1.2.11.3;
 *     65535 when absent and for MQTT 3.1.1)
 */
public record ConnectParameters(
    int protocolVersion,
    String clientId,
    boolean assignedClientId,
    boolean cleanStart,
    int keepAliveSeconds,
    int requestedKeepAlive,
    long sessionExpirySeconds,
    long requestedExpiry,
    Optional<Will> will,
    Optional<String> username,
    int receiveMaximum)
    implements ConnectCheck {
  static final int RECEIVE_MAXIMUM_ABSENT = 65535;

  /** Parses and checks a CONNECT: either parameters or a refusal. */
  public static ConnectCheck parse(MqttConnectMessage connect, BrokerLimits limits) {
    var header = connect.variableHeader();
    var payload = connect.payload();
    int version = header.version();
    boolean v5 = version == Packets.MQTT_5;
    if (version != Packets.MQTT_3_1_1 && !v5) {
      // AWS §7.1: MQTT 3.1.1 and 5 only; MQTT 3.1.1 §3.1.2.2 answers an unknown level with 0x01.
      return new ConnectCheck.Refusal(
          MqttConnectReturnCode.CONNECTION_REFUSED_UNACCEPTABLE_PROTOCOL_VERSION,
          "unsupported protocol version " + version);
    }
    String clientId = payload.clientIdentifier() == null ? "" : payload.clientIdentifier();
    boolean assigned = false;
    if (clientId.isEmpty()) {
      // MQTT 3.1.1 §3.1.3.1: an empty id is only allowed with clean session; MQTT 5 §3.1.3.1 lets
      // the server assign one (returned as Assigned Client Identifier).
      if (!v5 && !header.isCleanSession()) {
        return new ConnectCheck.Refusal(
            MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED,
            "empty client id without clean session");
      }
      clientId = "mamori-" + UUID.randomUUID();
      assigned = true;
    }
    if (clientId.getBytes(StandardCharsets.UTF_8).length > limits.maxClientIdLengthBytes()) {
      return new ConnectCheck.Refusal(
          v5
              ? MqttConnectReturnCode.CONNECTION_REFUSED_CLIENT_IDENTIFIER_NOT_VALID
              : MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED,
          "client id longer than " + limits.maxClientIdLengthBytes() + " bytes");
    }
    Optional<Will> will = Optional.empty();
    if (header.isWillFlag()) {
      String willTopic = payload.willTopic();
      if (Topics.invalidTopicName(willTopic, limits.maxTopicLengthBytes()).isPresent()) {
        return new ConnectCheck.Refusal(
            v5
                ? MqttConnectReturnCode.CONNECTION_REFUSED_TOPIC_NAME_INVALID
                : MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED,
            "invalid will topic");
      }
      byte[] willPayload = payload.willMessageInBytes();
      // AWS §7.1: QoS 2 is not supported, a QoS 2 will is published with QoS 1.
      will =
          Optional.of(
              new Will(
                  willTopic,
                  willPayload == null ? new byte[0] : willPayload,
                  Math.min(header.willQos(), 1),
                  header.isWillRetain()));
    }
    int receiveMaximum = v5 ? receiveMaximum(header.properties()) : RECEIVE_MAXIMUM_ABSENT;
    if (receiveMaximum == 0) {
      // MQTT 5 §3.1.2.11.3: a Receive Maximum of 0 is a Protocol Error.
      return new ConnectCheck.Refusal(
          MqttConnectReturnCode.CONNECTION_REFUSED_PROTOCOL_ERROR, "receive maximum 0");
    }
    int requestedKeepAlive = header.keepAliveTimeSeconds();
    long requestedExpiry = v5 ? sessionExpiry(header.properties()) : 0;
    long expiry =
        v5
            ? Math.min(requestedExpiry, limits.maxSessionExpiry().toSeconds())
            : header.isCleanSession() ? 0 : limits.defaultSessionExpiry().toSeconds();
    return new ConnectParameters(
        version,
        clientId,
        assigned,
        header.isCleanSession(),
        keepAlive(requestedKeepAlive, limits),
        requestedKeepAlive,
        expiry,
        requestedExpiry,
        will,
        Optional.ofNullable(payload.userName()),
        receiveMaximum);
  }

  private static int receiveMaximum(MqttProperties properties) {
    var property = properties.getProperty(MqttPropertyType.RECEIVE_MAXIMUM.value());
    return property == null ? RECEIVE_MAXIMUM_ABSENT : (Integer) property.value();
  }

  /**
   * AWS §7.2: requested 1..29 s become 30; 0 or above 1200 become 1200 (bounds from the limits).
   */
  static int keepAlive(int requested, BrokerLimits limits) {
    if (requested <= 0 || requested > limits.maxKeepAliveSeconds()) {
      return limits.maxKeepAliveSeconds();
    }
    return Math.max(requested, limits.minKeepAliveSeconds());
  }

  private static long sessionExpiry(MqttProperties properties) {
    var property = properties.getProperty(MqttPropertyType.SESSION_EXPIRY_INTERVAL.value());
    if (property == null) {
      return 0;
    }
    // MQTT 5 §3.1.2.11.2: a four byte unsigned integer; 0xFFFFFFFF means "never expires".
    return Integer.toUnsignedLong((Integer) property.value());
  }

  public boolean persistent() {
    return sessionExpirySeconds > 0;
  }

  public boolean isMqtt5() {
    return protocolVersion == Packets.MQTT_5;
  }
}
