package io.mamori.hub.mqtt.session;

import io.mamori.hub.config.BrokerLimits;
import io.mamori.hub.events.EventPublisher;
import io.mamori.hub.events.HubEvent;
import io.mamori.hub.mqtt.QueuedMessage;
import io.mamori.hub.mqtt.SessionStore;
import io.mamori.hub.mqtt.StoredSession;
import io.mamori.hub.mqtt.persistence.StoreWriter;
import io.mamori.hub.mqtt.routing.SubscriptionTrie;
import io.mamori.hub.mqtt.routing.Topics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every session of the broker by client id, their subscriptions, and the routing of a message to
 * the sessions whose filters match it. Thread-safe: called from every event loop and from workers.
 */
public final class Sessions {
  private static final Logger log = LoggerFactory.getLogger(Sessions.class);
  static final Duration QUEUE_FULL_REPORT_INTERVAL = Duration.ofSeconds(1);
  private final Map<String, Session> byClientId = new ConcurrentHashMap<>();
  private final SubscriptionTrie<Session> trie = new SubscriptionTrie<>();
  private final StoreWriter writer;
  private final BrokerLimits limits;
  private final EventPublisher events;
  private final Clock clock;

  public Sessions(StoreWriter writer, BrokerLimits limits, EventPublisher events, Clock clock) {
    this.writer = writer;
    this.limits = limits;
    this.events = events;
    this.clock = clock;
  }

  /** Loads persisted sessions at start; expired ones are purged from the store. Blocking. */
  public int restore(SessionStore store) {
    int restored = 0;
    for (StoredSession stored : store.loadAll()) {
      List<QueuedMessage> queued = store.queued(stored.clientId());
      Session session = newSession(stored.clientId());
      session.restore(stored, queued, clock.instant());
      if (session.expired(clock.instant())) {
        writer.deleteSession(stored.clientId());
        continue;
      }
      byClientId.put(stored.clientId(), session);
      session.subscriptions().forEach((filter, qos) -> trie.add(filter, session, qos));
      restored++;
    }
    return restored;
  }

  public Optional<Session> find(String clientId) {
    return Optional.ofNullable(byClientId.get(clientId));
  }

  /**
   * The session a CONNECT continues, and whether it existed. With {@code cleanStart} any old state
   * is discarded first (MQTT 3.1.1 §3.1.2.4, MQTT 5 §3.1.2.4).
   */
  public synchronized Resumed resume(String clientId, boolean cleanStart, long expirySeconds) {
    Session existing = byClientId.get(clientId);
    if (existing != null && (cleanStart || existing.expired(clock.instant()))) {
      discard(existing, existing.persistent());
      existing = null;
    }
    boolean present = existing != null;
    Session session = present ? existing : newSession(clientId);
    boolean wasPersistent = present && session.persistent();
    session.claim();
    session.setExpiry(expirySeconds);
    byClientId.put(clientId, session);
    if (session.persistent()) {
      writer.saveSession(session.snapshot());
    } else if (wasPersistent) {
      writer.deleteSession(clientId);
    }
    return new Resumed(session, present);
  }

  /**
   * A session picked up by a CONNECT, and whether it was already there (CONNACK sessionPresent).
   */
  public record Resumed(Session session, boolean present) {}

  /** Called when a connection ends: persistent sessions stay and are saved, others go. */
  public void disconnected(Session session, SessionLink link) {
    if (!session.detach(link, clock.instant()) || session.discarded()) {
      return; // a newer connection took the session over, or threw it away (clean start)
    }
    if (session.persistent()) {
      writer.saveSession(session.snapshot());
    } else {
      discard(session, false);
    }
  }

  /**
   * MQTT 5 §3.14.2.2.2: a DISCONNECT may change the session expiry (capped by the limits); 0 ends a
   * persistent session with its connection.
   */
  public void updateExpiry(Session session, long seconds) {
    boolean wasPersistent = session.persistent();
    session.setExpiry(Math.min(seconds, limits.maxSessionExpiry().toSeconds()));
    if (wasPersistent && !session.persistent()) {
      writer.deleteSession(session.clientId());
    }
  }

  /** Saves a persistent session's subscriptions after they changed. */
  public void changed(Session session) {
    if (session.persistent()) {
      writer.saveSession(session.snapshot());
    }
  }

  public boolean subscribe(Session session, String filter, int qos) {
    if (!session.addSubscription(filter, qos, limits.maxSubscriptionsPerClient())) {
      return false;
    }
    trie.add(filter, session, qos);
    return true;
  }

  public boolean unsubscribe(Session session, String filter) {
    boolean had = session.removeSubscription(filter);
    trie.remove(filter, session);
    return had;
  }

  /** Whether any session's subscription matches the topic now. */
  public boolean hasSubscribers(String topic) {
    return !trie.match(topic).isEmpty();
  }

  /** Delivers a message to every matching session; returns how many took it. */
  public int route(String topic, byte[] payload, int qos) {
    return route(topic, payload, qos, null);
  }

  /**
   * As {@link #route(String, byte[], int)}, for a publisher that holds its acknowledgement back
   * while a session the message was queued for is congested: each such session is reported to
   * {@code publisher} ({@link DrainListener#congested}), which it will tell once it drained.
   */
  public int route(String topic, byte[] payload, int qos, DrainListener publisher) {
    int taken = 0;
    Instant now = clock.instant();
    for (var match : trie.match(topic).entrySet()) {
      Session session = match.getKey();
      Offer offer = session.offer(topic, payload, Math.min(qos, match.getValue()), false, now);
      if (offer == Offer.SENT || offer == Offer.QUEUED) {
        taken++;
      } else if (offer == Offer.QUEUE_FULL) {
        queueFull(session, topic, now);
      }
      // Only a message left waiting in the queue can find it congested (SENT means it was empty).
      if (publisher != null
          && (offer == Offer.QUEUED || offer == Offer.QUEUE_FULL)
          && session.holdBack(publisher)) {
        publisher.congested(session);
      }
    }
    return taken;
  }

  /**
   * Reports refusals of a full queue as {@code mqtt.queue} events, at most one per session per
   * {@link #QUEUE_FULL_REPORT_INTERVAL} carrying how many were refused: a subscriber that cannot
   * keep up with a flood must not turn every dropped message into an event (and an audit record).
   */
  private void queueFull(Session session, String topic, Instant now) {
    long refused = session.refusalsToReport(now, QUEUE_FULL_REPORT_INTERVAL);
    if (refused == 0) {
      return;
    }
    events.publish(
        new HubEvent(
            "mqtt.queue",
            now,
            "hub",
            session.clientId(),
            HubEvent.FAILURE,
            "queue full, newest message dropped",
            Map.of(
                "topic",
                topic,
                "limit",
                String.valueOf(limits.maxQueuedMessagesPerSession()),
                "dropped",
                String.valueOf(refused))));
  }

  /**
   * Delivers a message to one client's session only: while a connection of {@code principalId}
   * holds it and one of its subscriptions matches {@code topic} (QoS reduced to the highest granted
   * one). {@code iot:Receive} is checked by the session's connection as for any delivery.
   *
   * @return whether the message was sent or queued
   */
  public boolean deliverTo(
      String clientId, String principalId, String topic, byte[] payload, int qos) {
    Session session = byClientId.get(clientId);
    if (session == null
        || session.link().filter(l -> l.principalId().equals(principalId)).isEmpty()) {
      return false;
    }
    int granted = -1;
    for (var subscription : session.subscriptions().entrySet()) {
      if (Topics.matches(subscription.getKey(), topic)) {
        granted = Math.max(granted, subscription.getValue());
      }
    }
    if (granted < 0) {
      return false;
    }
    Offer offer = session.offer(topic, payload, Math.min(qos, granted), false, clock.instant());
    return offer == Offer.SENT || offer == Offer.QUEUED;
  }

  /** Purges offline sessions whose expiry passed (MQTT 5 §3.1.2.11.2). */
  public synchronized int purgeExpired() {
    int purged = 0;
    for (Session session : byClientId.values()) {
      if (session.expired(clock.instant())) {
        discard(session, true);
        purged++;
        log.info("session expired clientId={}", session.clientId());
      }
    }
    return purged;
  }

  /** Saves every persistent session as disconnected now (graceful shutdown). */
  public void saveAll() {
    byClientId.values().stream()
        .filter(Session::persistent)
        .forEach(s -> writer.saveSession(s.snapshot()));
  }

  public int size() {
    return byClientId.size();
  }

  private void discard(Session session, boolean stored) {
    session.markDiscarded();
    byClientId.remove(session.clientId(), session);
    session.subscriptions().keySet().forEach(filter -> trie.remove(filter, session));
    if (stored) {
      writer.deleteSession(session.clientId());
    }
  }

  private Session newSession(String clientId) {
    var backPressure = limits.publishBackPressure();
    return new Session(
        clientId,
        writer,
        limits.maxInflightPerClient(),
        limits.maxQueuedMessagesPerSession(),
        backPressure.highWater(),
        backPressure.lowWater());
  }
}
