package io.mamori.hub.mqtt;

/** What a {@link ReservedTopicHandler} learns of the caller and how it answers. */
public interface ReservedTopicContext {
  String clientId();

  ClientAuthorization authorization();

  /**
   * Publishes a response into the broker (e.g. {@code .../accepted}); delivery to the caller and
   * other subscribers goes through the normal {@code iot:Receive} checks.
   */
  void reply(String topic, byte[] payload, int qos);

  /**
   * Delivers a response to the requesting connection only, never to other subscribers of the topic
   * (AWS request/response APIs answer the requester alone, e.g. a certificate and its private key):
   * only while that connection (same principal) still holds the client id's session and has a
   * subscription matching {@code topic}, and only if {@code iot:Receive} allows it.
   *
   * @return whether the response was sent or queued for the caller
   */
  boolean replyToCaller(String topic, byte[] payload, int qos);
}
