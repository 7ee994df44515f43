package io.mamori.hub.mqtt.connection;

import io.netty.handler.codec.mqtt.MqttConnectReturnCode;

/** Result of checking a CONNECT before authentication: its parameters, or a refusal. */
public sealed interface ConnectCheck permits ConnectParameters, ConnectCheck.Refusal {
  /** The broker refuses the CONNECT with this CONNACK code. */
  record Refusal(MqttConnectReturnCode code, String reason) implements ConnectCheck {}
}
