package io.mamori.hub.mqtt;

/**
 * A device-facing service API living under reserved topics (provisioning, jobs, shadow, defender
 * metrics). The broker hands it PUBLISHes whose topic matches {@link #topicFilter()} after {@code
 * iot:Publish} was allowed; the handler answers through {@link ReservedTopicContext#reply}.
 */
public interface ReservedTopicHandler {
  /** MQTT topic filter this handler owns, e.g. {@code $aws/things/+/shadow/#}. */
  String topicFilter();

  /** Handles one request. Runs on a worker thread, not on the event loop; may block briefly. */
  void onPublish(ReservedTopicContext context, String topic, byte[] payload);
}
