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
}
