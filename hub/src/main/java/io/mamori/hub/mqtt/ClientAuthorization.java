package io.mamori.hub.mqtt;

/**
 * The permissions of one authenticated connection. Called on the Netty event loop for every
 * PUBLISH, SUBSCRIBE and delivery, so implementations answer from memory and never block.
 */
public interface ClientAuthorization {
  /** Identity behind the connection (the certificate id); used to cut it off on revocation. */
  String principalId();

  AccessDecision mayPublish(String topic, boolean retain);

  AccessDecision maySubscribe(String topicFilter);

  AccessDecision mayReceive(String topic);

  /** Told once when the connection holding these permissions has closed. */
  default void connectionClosed() {}
}
