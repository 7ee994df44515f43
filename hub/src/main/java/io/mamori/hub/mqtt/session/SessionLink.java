package io.mamori.hub.mqtt.session;

/** The live connection a session currently delivers to. */
public interface SessionLink {
  /** {@code iot:Receive} for this connection, asked on every delivery (reference §5.2). */
  boolean mayReceive(String topic);

  /**
   * Writes one PUBLISH to the client; never blocks.
   *
   * @param packetId 0 for QoS 0
   */
  void send(String topic, byte[] payload, int qos, int packetId, boolean retain, boolean dup);

  /**
   * QoS 1 PUBLISHes the client accepts unacknowledged (its MQTT 5 Receive Maximum); the session
   * keeps the lower of this and its own in-flight limit. Unbounded unless the client said so.
   */
  default int receiveMaximum() {
    return Integer.MAX_VALUE;
  }

  /** Principal (certificate id) of the connection, stored with a persistent session. */
  String principalId();
}
