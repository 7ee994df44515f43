package io.mamori.hub.shadow;

import io.mamori.hub.mqtt.ReservedTopicContext;
import io.mamori.hub.mqtt.ReservedTopicHandler;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The device side of the shadow service: requests on {@code $aws/things/T/shadow[/name/N]/get|
 * update|delete} (reference §4.1), answered on {@code .../accepted} or {@code .../rejected} and
 * followed by {@code /update/delta} and {@code /update/documents}. The broker has already checked
 * {@code iot:Publish} on the request topic, and checks {@code iot:Receive} on every answer, as AWS
 * does (§5.2: over MQTT, shadow access is authorized by the topic permissions alone).
 */
public final class ShadowTopicHandler implements ReservedTopicHandler {
  private static final Logger log = LoggerFactory.getLogger(ShadowTopicHandler.class);

  /** Answers at QoS 1, so a device with a persistent session gets a delta sent while it slept. */
  private static final int QOS = 1;

  private final ShadowService shadows;

  public ShadowTopicHandler(ShadowService shadows) {
    this.shadows = shadows;
  }

  @Override
  public String topicFilter() {
    return "$aws/things/+/shadow/#";
  }

  @Override
  public void onPublish(ReservedTopicContext context, String topic, byte[] payload) {
    Optional<Request> request = parse(topic);
    if (request.isEmpty()) {
      // E.g. a client publishing on .../update/accepted: only the service publishes answers, so
      // the message goes nowhere (clients cannot create '$' topics, reference §7.7).
      log.debug("shadow topic ignored clientId={} topic={}", context.clientId(), topic);
      return;
    }
    ShadowKey key = request.get().key();
    ShadowResult result =
        switch (request.get().operation()) {
          case GET -> shadows.get(key, payload);
          case UPDATE -> shadows.update(key, payload, context.clientId());
          case DELETE -> shadows.delete(key, payload, context.clientId());
        };
    context.reply(result.responseTopic(), ShadowService.bytes(result.response()), QOS);
    result.notifications().forEach(m -> context.reply(m.topic(), m.payload(), QOS));
  }

  /** A request topic's shadow and operation; empty for any other topic under the filter. */
  static Optional<Request> parse(String topic) {
    String[] levels = topic.split("/", -1);
    // $aws/things/T/shadow/OP  or  $aws/things/T/shadow/name/N/OP
    if (levels.length == 5) {
      return operation(levels[4]).map(op -> new Request(ShadowKey.classic(levels[2]), op));
    }
    if (levels.length == 7 && levels[4].equals("name") && !levels[5].isEmpty()) {
      return operation(levels[6]).map(op -> new Request(ShadowKey.named(levels[2], levels[5]), op));
    }
    return Optional.empty();
  }

  private static Optional<ShadowOperation> operation(String level) {
    for (ShadowOperation operation : ShadowOperation.values()) {
      if (operation.topicLevel().equals(level)) {
        return Optional.of(operation);
      }
    }
    return Optional.empty();
  }

  /** One parsed request topic. */
  record Request(ShadowKey key, ShadowOperation operation) {}
}
