package io.mamori.hub.mqtt.connection;

import io.mamori.hub.mqtt.ClientAuthorization;
import io.mamori.hub.mqtt.ReservedTopicContext;
import io.mamori.hub.mqtt.ReservedTopicHandler;
import io.mamori.hub.mqtt.RetainedMessage;
import io.mamori.hub.mqtt.persistence.StoreWriter;
import io.mamori.hub.mqtt.routing.RetainedMessages;
import io.mamori.hub.mqtt.routing.Topics;
import io.mamori.hub.mqtt.session.DrainListener;
import io.mamori.hub.mqtt.session.Sessions;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where an authorized PUBLISH goes: a reserved-topic handler (on the worker executor), the retained
 * store, and the subscribers. Authorization is the caller's job.
 */
public final class Dispatcher {
  private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);

  /** What became of one message. */
  public enum Outcome {
    /** Routed to subscribers (possibly none). */
    ROUTED,
    /** Handed to a reserved-topic handler. */
    HANDLED,
    /** A client's {@code $} topic no handler owns: not routed (clients cannot create them). */
    UNROUTABLE,
    /** The worker executor is saturated; the reserved-topic request was not taken. */
    BUSY
  }

  private final Sessions sessions;
  private final StoreWriter writer;
  private final RetainedMessages retained;
  private final List<ReservedTopicHandler> handlers;
  private final Executor worker;
  private final ConnectionEvents events;
  private final Clock clock;

  public Dispatcher(
      Sessions sessions,
      StoreWriter writer,
      RetainedMessages retained,
      List<ReservedTopicHandler> handlers,
      Executor worker,
      ConnectionEvents events,
      Clock clock) {
    this.sessions = sessions;
    this.writer = writer;
    this.retained = retained;
    this.handlers = List.copyOf(handlers);
    this.worker = worker;
    this.events = events;
    this.clock = clock;
  }

  /** A client's will (or a PUBLISH nobody waits for), already allowed by {@code iot:Publish}. */
  public Outcome fromClient(
      String clientId,
      ClientAuthorization authorization,
      String topic,
      byte[] payload,
      int qos,
      boolean retain) {
    return fromClient(clientId, authorization, topic, payload, qos, retain, null);
  }

  /**
   * A client's PUBLISH, already allowed by {@code iot:Publish}; subscriber sessions it was queued
   * for that are congested are reported to {@code publisher} (publisher back-pressure), if given.
   */
  public Outcome fromClient(
      String clientId,
      ClientAuthorization authorization,
      String topic,
      byte[] payload,
      int qos,
      boolean retain,
      DrainListener publisher) {
    if (Topics.isReserved(topic)) {
      // AWS §7.1: no retained messages on '$' topics, and §7.7: clients cannot create '$' topics,
      // so a client's '$' publish only ever reaches the handler that owns the topic.
      Optional<ReservedTopicHandler> handler =
          handlers.stream().filter(h -> Topics.matches(h.topicFilter(), topic)).findFirst();
      if (handler.isEmpty()) {
        return Outcome.UNROUTABLE;
      }
      var context = new Context(clientId, authorization);
      try {
        worker.execute(() -> runHandler(handler.get(), context, topic, payload));
        return Outcome.HANDLED;
      } catch (RejectedExecutionException e) {
        log.warn("reserved topic request refused, workers busy clientId={}", clientId);
        return Outcome.BUSY;
      }
    }
    if (retain) {
      retain(clientId, topic, payload, qos);
    }
    sessions.route(topic, payload, qos, publisher);
    return Outcome.ROUTED;
  }

  /**
   * Runs {@code action} once what the messages dispatched so far left in persistent sessions and in
   * the retained store has been committed (at once when nothing is pending). On the store writer's
   * thread: the action must hand off to the connection's event loop.
   */
  public void whenStored(Runnable action) {
    writer.whenStored(action);
  }

  /** True while a store write of a message dispatched so far has not committed. */
  public boolean storePending() {
    return writer.pending();
  }

  /** A message the hub itself publishes (service replies, notifications). Any thread. */
  public void fromHub(String topic, byte[] payload, int qos, boolean retain) {
    if (retain) {
      retain("hub", topic, payload, qos);
    }
    sessions.route(topic, payload, qos);
  }

  /** Whether a live message on this topic would reach any session now. */
  public boolean hasSubscribers(String topic) {
    return sessions.hasSubscribers(topic);
  }

  /** Stored retained message for an exact topic (AWS §7.1: exact filters only). */
  public Optional<RetainedMessage> retained(String topic) {
    return retained.get(topic);
  }

  private void retain(String actor, String topic, byte[] payload, int qos) {
    if (!retained.retain(new RetainedMessage(topic, payload, qos, clock.instant()))) {
      // Decision: over the limit the message is still routed live but not retained.
      events.failure(
          "mqtt.retain", actor, topic, "retained message limit reached", Map.of("topic", topic));
    }
  }

  private void runHandler(
      ReservedTopicHandler handler, Context context, String topic, byte[] payload) {
    try {
      handler.onPublish(context, topic, payload);
    } catch (RuntimeException e) {
      log.error(
          "reserved topic handler failed filter={} clientId={} reason={}",
          handler.topicFilter(),
          context.clientId(),
          e.toString());
    }
  }

  private final class Context implements ReservedTopicContext {
    private final String clientId;
    private final ClientAuthorization authorization;

    Context(String clientId, ClientAuthorization authorization) {
      this.clientId = clientId;
      this.authorization = authorization;
    }

    @Override
    public String clientId() {
      return clientId;
    }

    @Override
    public ClientAuthorization authorization() {
      return authorization;
    }

    @Override
    public void reply(String topic, byte[] payload, int qos) {
      fromHub(topic, payload, Math.min(qos, 1), false);
    }

    @Override
    public boolean replyToCaller(String topic, byte[] payload, int qos) {
      return sessions.deliverTo(
          clientId, authorization.principalId(), topic, payload, Math.min(qos, 1));
    }
  }
}
