package io.mamori.hub.mqtt;

/** Outcome of authenticating (and authorizing iot:Connect for) a CONNECT. */
public sealed interface AuthenticationResult {
  /** The client may connect with these permissions. */
  record Accepted(ClientAuthorization authorization) implements AuthenticationResult {}

  /**
   * The client is refused; the broker answers CONNACK "not authorized" (3.1.1 code 5, MQTT 5 0x87)
   * and closes.
   */
  record Refused(java.util.Optional<String> principalId, String reason)
      implements AuthenticationResult {
    /** A refusal before the client's identity was known. */
    public Refused(String reason) {
      this(java.util.Optional.empty(), reason);
    }

    /** A refusal of a known identity (e.g. a revoked certificate), for the event's "who". */
    public Refused(String principalId, String reason) {
      this(java.util.Optional.of(principalId), reason);
    }
  }
}
