package io.mamori.hub.lifecycle;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mamori.hub.events.HubEvent;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the broker's connect, disconnect and (un)subscribe events into AWS IoT lifecycle messages
 * on {@code $aws/events/...} (reference §7.6), so backends written for AWS work unchanged.
 *
 * <p>{@code versionNumber} is a per-client-id counter kept in memory: 0 for the first connect after
 * the hub starts, one more for each later connect, the same for a connect and its disconnect. It
 * restarts at 0 when the hub restarts (AWS also resets it and lets it skip, §7.6).
 */
public final class LifecycleEvents implements Consumer<HubEvent> {
  private static final Logger log = LoggerFactory.getLogger(LifecycleEvents.class);
  private static final String PREFIX = "$aws/events/";
  private static final String SESSION_IDENTIFIER = "sessionIdentifier";

  /** Where a lifecycle message goes: the broker's hub-originated publish at QoS 0. */
  @FunctionalInterface
  public interface Publisher {
    void publish(String topic, byte[] payload);
  }

  private final Publisher publisher;
  static final int MAX_REMEMBERED_CLIENTS = 100_000;
  private final ObjectMapper json = new ObjectMapper();

  /**
   * Bounded so that clients with random ids cannot grow it without end; a forgotten client id
   * starts again at 0, as AWS resets the number after a client has been away a while.
   */
  private final Map<String, Long> lastVersion =
      java.util.Collections.synchronizedMap(
          new java.util.LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
              return size() > MAX_REMEMBERED_CLIENTS;
            }
          });

  private final Map<String, Long> versionOfSession = new ConcurrentHashMap<>();

  /** Whether anyone subscribes to the lifecycle topic; asked before serializing a message. */
  private final Predicate<String> subscribed;

  /** Every message is built and published. */
  public LifecycleEvents(Publisher publisher) {
    this(publisher, topic -> true);
  }

  /**
   * @param subscribed whether a message on a topic would reach anyone now: the JSON document is
   *     built and published only then (two thirds of this class's cost per connect in the connect
   *     bench, where nobody listens). The version counters advance either way.
   */
  public LifecycleEvents(Publisher publisher, Predicate<String> subscribed) {
    this.publisher = publisher;
    this.subscribed = subscribed;
  }

  @Override
  public void accept(HubEvent event) {
    if (!HubEvent.SUCCESS.equals(event.outcome()) || !hasLifecycle(event.subject())) {
      return;
    }
    message(event)
        .filter(m -> subscribed.test(m.topic()))
        .ifPresent(
            m -> {
              try {
                publisher.publish(m.topic(), json.writeValueAsBytes(m.payload()));
              } catch (JsonProcessingException | IllegalArgumentException e) {
                // E.g. a client id too long for a topic name: that client gets no events.
                log.debug(
                    "lifecycle event not published clientId={} reason={}",
                    event.subject(),
                    e.toString());
              }
            });
  }

  /** AWS §7.1: client ids containing {@code #} or {@code +} get no lifecycle events. */
  private static boolean hasLifecycle(String clientId) {
    return !clientId.isEmpty() && clientId.indexOf('#') < 0 && clientId.indexOf('+') < 0;
  }

  /** The topic and JSON document AWS would publish for this event, if it publishes one. */
  Optional<Message> message(HubEvent event) {
    return switch (event.type()) {
      case "mqtt.connect" -> Optional.of(connected(event));
      case "mqtt.disconnect" -> Optional.of(disconnected(event));
      case "mqtt.subscribe" -> Optional.of(subscriptions(event, "subscribed"));
      case "mqtt.unsubscribe" -> Optional.of(subscriptions(event, "unsubscribed"));
      default -> Optional.empty();
    };
  }

  private Message connected(HubEvent event) {
    String session = event.details().getOrDefault(SESSION_IDENTIFIER, "");
    long version = lastVersion.merge(event.subject(), 0L, (old, zero) -> old + 1);
    versionOfSession.put(session, version);
    ObjectNode body = common(event, "connected");
    body.put("ipAddress", event.details().getOrDefault("ipAddress", ""));
    body.put("versionNumber", version);
    return new Message(PREFIX + "presence/connected/" + event.subject(), body);
  }

  private Message disconnected(HubEvent event) {
    String session = event.details().getOrDefault(SESSION_IDENTIFIER, "");
    Long version = versionOfSession.remove(session);
    ObjectNode body = common(event, "disconnected");
    // The reason names of DisconnectReason are AWS's disconnectReason values (§7.6).
    body.put("clientInitiatedDisconnect", "CLIENT_INITIATED_DISCONNECT".equals(event.reason()));
    body.put("disconnectReason", event.reason());
    body.put(
        "versionNumber", version != null ? version : lastVersion.getOrDefault(event.subject(), 0L));
    return new Message(PREFIX + "presence/disconnected/" + event.subject(), body);
  }

  private Message subscriptions(HubEvent event, String eventType) {
    ObjectNode body = common(event, eventType);
    body.putArray("topics").add(event.details().getOrDefault("topicFilter", ""));
    return new Message(PREFIX + "subscriptions/" + eventType + "/" + event.subject(), body);
  }

  private ObjectNode common(HubEvent event, String eventType) {
    ObjectNode body = json.createObjectNode();
    body.put("clientId", event.subject());
    body.put("timestamp", event.at().toEpochMilli());
    body.put("eventType", eventType);
    body.put(SESSION_IDENTIFIER, event.details().getOrDefault(SESSION_IDENTIFIER, ""));
    body.put("principalIdentifier", event.actor());
    return body;
  }

  /** One lifecycle message before serialization. */
  record Message(String topic, ObjectNode payload) {}
}
