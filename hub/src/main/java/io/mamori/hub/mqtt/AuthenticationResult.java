package io.mamori.hub.mqtt;

/** Outcome of authenticating (and authorizing iot:Connect for) a CONNECT. */
public sealed interface AuthenticationResult {
  /** The client may connect with these permissions. */
  record Accepted(ClientAuthorization authorization) implements AuthenticationResult {}

  /**
   * The client is refused; the broker answers CONNACK "not authorized" (3.1.1 code 5, MQTT 5 0x87)
   * and closes.
   */
  record Refused(String reason) implements AuthenticationResult {}
}
