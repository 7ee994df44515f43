package io.mamori.hub.mqtt.session;

import io.mamori.hub.mqtt.QueuedMessage;
import io.mamori.hub.mqtt.StoredSession;
import io.mamori.hub.mqtt.StoredSubscription;
import io.mamori.hub.mqtt.persistence.StoreWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The state MQTT keeps per client id: subscriptions, the QoS 1 in-flight window and the queue
 * behind it. Messages arrive from any event loop (publishers) and PUBACKs from the client's loop,
 * so every method holds the session's lock; none of them blocks (store writes are asynchronous).
 */
public final class Session {
  private final String clientId;
  private final StoreWriter writer;
  private final int maxInflight;
  private final int maxQueued;
  private final int highWater;
  private final int lowWater;
  private final Map<String, Integer> subscriptions = new LinkedHashMap<>();
  private final Deque<QueuedMessage> pending = new ArrayDeque<>();
  private final Map<Integer, QueuedMessage> inflight = new LinkedHashMap<>();
  // Packet ids of in-flight messages not yet resent on the current connection: a resumed session
  // may hold more than the new connection's Receive Maximum allows out at once.
  private final Deque<Integer> resendLater = new ArrayDeque<>();
  private boolean persistent;
  private boolean discarded;
  private long expirySeconds;
  private String principalId;
  private SessionLink link;
  private Instant disconnectedAt;
  private long nextSequence = 1;
  private int nextPacketId = 1;
  // Messages refused because the queue was full and not reported yet, and the last report.
  private long refusedUnreported;
  private Instant lastRefusalReport;
  // Publisher back-pressure: set when the queue reached highWater with a client connected, cleared
  // when it is down to lowWater (hysteresis, so publishers are not released one message at a time).
  private boolean congested;
  // Publishers holding back PUBACKs until this session is relieved; a set, so each publisher is
  // told once however many of its messages wait here (at most one entry per publisher connection).
  private final Set<DrainListener> drainListeners = new LinkedHashSet<>();

  public Session(String clientId, StoreWriter writer, int maxInflight, int maxQueued) {
    this(clientId, writer, maxInflight, maxQueued, 0, 0);
  }

  /**
   * @param highWater queued messages from which a connected session holds publishers back (0: off)
   * @param lowWater queued messages at or below which held publishers are released
   */
  public Session(
      String clientId,
      StoreWriter writer,
      int maxInflight,
      int maxQueued,
      int highWater,
      int lowWater) {
    this.clientId = clientId;
    this.writer = writer;
    this.maxInflight = maxInflight;
    this.maxQueued = maxQueued;
    this.highWater = highWater;
    this.lowWater = lowWater;
  }

  public String clientId() {
    return clientId;
  }

  public synchronized boolean persistent() {
    return persistent;
  }

  /** Sets how long the session outlives its connection; 0 means it ends with the connection. */
  public synchronized void setExpiry(long seconds) {
    this.expirySeconds = seconds;
    this.persistent = seconds > 0;
  }

  /** Restores a stored session and its queued messages after a restart. */
  public synchronized void restore(StoredSession stored, List<QueuedMessage> queued, Instant now) {
    setExpiry(stored.expiryIntervalSeconds());
    principalId = stored.principalId();
    stored.subscriptions().forEach(s -> subscriptions.put(s.topicFilter(), s.qos()));
    // A session that was connected when the hub stopped counts as disconnected since the restart.
    disconnectedAt = stored.disconnectedAt().orElse(now);
    for (QueuedMessage m : queued) {
      pending.add(m);
      nextSequence = Math.max(nextSequence, m.sequence() + 1);
    }
  }

  /** True once an offline session has outlived its expiry interval. */
  public synchronized boolean expired(Instant now) {
    return link == null
        && disconnectedAt != null
        && !disconnectedAt.plusSeconds(expirySeconds).isAfter(now);
  }

  /** A CONNECT picked the session up: it cannot expire while that connection attaches. */
  public synchronized void claim() {
    disconnectedAt = null;
  }

  /** Marks the session as thrown away (clean start, expiry): it must never be saved again. */
  public void markDiscarded() {
    List<DrainListener> released;
    synchronized (this) {
      discarded = true;
      released = relieve();
    }
    notifyDrained(released);
  }

  public synchronized boolean discarded() {
    return discarded;
  }

  public synchronized Optional<SessionLink> link() {
    return Optional.ofNullable(link);
  }

  public synchronized Map<String, Integer> subscriptions() {
    return Map.copyOf(subscriptions);
  }

  /** Records a subscription; returns false if the filter was new and would exceed {@code max}. */
  public synchronized boolean addSubscription(String filter, int qos, int max) {
    if (!subscriptions.containsKey(filter) && subscriptions.size() >= max) {
      return false;
    }
    subscriptions.put(filter, qos);
    return true;
  }

  public synchronized boolean removeSubscription(String filter) {
    return subscriptions.remove(filter) != null;
  }

  /**
   * Connects the session to a new connection. MQTT 3.1.1 §4.4: unacknowledged QoS 1 messages are
   * sent again with DUP set and their original packet ids, then the queue drains.
   */
  public void attach(SessionLink newLink) {
    List<DrainListener> released;
    synchronized (this) {
      attachLocked(newLink);
      released = relievedIfDrained();
    }
    notifyDrained(released);
  }

  private void attachLocked(SessionLink newLink) {
    link = newLink;
    principalId = newLink.principalId();
    disconnectedAt = null;
    resendLater.clear();
    int window = Math.min(maxInflight, newLink.receiveMaximum());
    int resent = 0;
    for (var entry : List.copyOf(inflight.entrySet())) {
      QueuedMessage m = entry.getValue();
      if (!newLink.mayReceive(m.topic())) {
        inflight.remove(entry.getKey());
        forget(m);
      } else if (resent < window) {
        newLink.send(m.topic(), m.payload(), 1, entry.getKey(), m.retain(), true);
        resent++;
      } else {
        // MQTT 5 §4.9: the rest goes out, still with its original id and DUP, as PUBACKs free
        // slots (before any new message, so the order is kept).
        resendLater.add(entry.getKey());
      }
    }
    drain();
  }

  /** Disconnects the session from {@code oldLink}, unless a newer connection took it over. */
  public boolean detach(SessionLink oldLink, Instant now) {
    List<DrainListener> released;
    synchronized (this) {
      if (link != oldLink) {
        return false;
      }
      link = null;
      disconnectedAt = now;
      // Nothing drains an offline queue: publishers held back by it go free at once, and the
      // queue-full refusal protects it from here on.
      released = relieve();
    }
    notifyDrained(released);
    return true;
  }

  /** Offers one message matched by a subscription (QoS already reduced to the granted one). */
  public synchronized Offer offer(
      String topic, byte[] payload, int qos, boolean retain, Instant now) {
    if (qos == 0) {
      if (link == null) {
        return Offer.DROPPED;
      }
      if (!link.mayReceive(topic)) {
        return Offer.DENIED;
      }
      link.send(topic, payload, 0, 0, retain, false);
      return Offer.SENT;
    }
    if (link != null && !link.mayReceive(topic)) {
      return Offer.DENIED;
    }
    if (link == null && !persistent) {
      return Offer.DROPPED;
    }
    // Decision: when the queue is full the NEWEST message is refused (and an event emitted by the
    // caller): older queued messages were accepted first and a flood must not push them out.
    if (pending.size() >= maxQueued) {
      return Offer.QUEUE_FULL;
    }
    var message = new QueuedMessage(nextSequence++, topic, payload, 1, retain, now);
    if (persistent) {
      writer.enqueue(clientId, message);
    }
    pending.add(message);
    drain();
    return pending.peekLast() == message ? Offer.QUEUED : Offer.SENT;
  }

  /** A PUBACK from the client frees one in-flight slot. */
  public void acknowledge(int packetId) {
    List<DrainListener> released;
    synchronized (this) {
      QueuedMessage message = inflight.remove(packetId);
      if (message == null) {
        return;
      }
      // An id acknowledged before it was resent freed no slot on this connection.
      boolean wasOut = !resendLater.remove(packetId);
      forget(message);
      if (wasOut) {
        resendNext();
      }
      drain();
      released = relievedIfDrained();
    }
    notifyDrained(released);
  }

  /**
   * Publisher back-pressure: after this session took (or refused as full) a message, registers
   * {@code listener} to be told when the session is relieved, if it is congested: connected, with
   * at least the high-water mark of messages queued behind its in-flight window (and not yet back
   * down to the low-water mark). An offline session never holds a publisher: nothing would drain
   * it.
   *
   * @return whether the listener waits for {@link DrainListener#drained} from this session
   */
  public synchronized boolean holdBack(DrainListener listener) {
    if (highWater == 0 || link == null || discarded) {
      return false;
    }
    if (!congested) {
      if (pending.size() < highWater) {
        return false;
      }
      congested = true;
    }
    drainListeners.add(listener);
    return true;
  }

  /** The publisher behind {@code listener} went away: it waits for nothing here any more. */
  public synchronized void stopHoldingBack(DrainListener listener) {
    drainListeners.remove(listener);
  }

  /**
   * Counts one message refused with {@link Offer#QUEUE_FULL} and returns how many refusals to
   * report now: every one since the previous report, at most once per {@code interval}; 0 while a
   * report went out less than {@code interval} ago.
   */
  public synchronized long refusalsToReport(Instant now, Duration interval) {
    refusedUnreported++;
    if (lastRefusalReport != null && now.isBefore(lastRefusalReport.plus(interval))) {
      return 0;
    }
    lastRefusalReport = now;
    long refused = refusedUnreported;
    refusedUnreported = 0;
    return refused;
  }

  public synchronized int queuedCount() {
    return pending.size() + inflight.size();
  }

  /** The session as stored for a restart. */
  public synchronized StoredSession snapshot() {
    List<StoredSubscription> subs = new ArrayList<>();
    subscriptions.forEach((f, q) -> subs.add(new StoredSubscription(f, q)));
    return new StoredSession(
        clientId,
        principalId == null ? "" : principalId,
        subs,
        expirySeconds,
        Optional.ofNullable(disconnectedAt));
  }

  private List<DrainListener> relievedIfDrained() {
    return congested && pending.size() <= lowWater ? relieve() : List.of();
  }

  private List<DrainListener> relieve() {
    congested = false;
    if (drainListeners.isEmpty()) {
      return List.of();
    }
    List<DrainListener> released = List.copyOf(drainListeners);
    drainListeners.clear();
    return released;
  }

  // Outside the lock: a listener hands over to its publisher's event loop.
  private void notifyDrained(List<DrainListener> released) {
    for (DrainListener listener : released) {
      listener.drained(this);
    }
  }

  private void resendNext() {
    while (link != null && !resendLater.isEmpty()) {
      int packetId = resendLater.poll();
      QueuedMessage m = inflight.get(packetId);
      if (m == null) {
        continue;
      }
      if (!link.mayReceive(m.topic())) {
        inflight.remove(packetId);
        forget(m);
        continue;
      }
      link.send(m.topic(), m.payload(), 1, packetId, m.retain(), true);
      return;
    }
  }

  private void drain() {
    // MQTT 5 §3.3.4: never more unacknowledged QoS 1 PUBLISHes than the client's Receive Maximum.
    while (link != null
        && inflight.size() < Math.min(maxInflight, link.receiveMaximum())
        && !pending.isEmpty()) {
      QueuedMessage m = pending.poll();
      if (!link.mayReceive(m.topic())) {
        forget(m);
        continue;
      }
      int packetId = nextFreePacketId();
      inflight.put(packetId, m);
      link.send(m.topic(), m.payload(), 1, packetId, m.retain(), false);
    }
  }

  private void forget(QueuedMessage message) {
    if (persistent) {
      writer.acknowledge(clientId, message.sequence());
    }
  }

  private int nextFreePacketId() {
    // MQTT 3.1.1 §2.3.1: packet ids are 1..65535 and unique among unacknowledged packets; the
    // in-flight window is far smaller than the id space, so this loop ends quickly.
    while (true) {
      int id = nextPacketId;
      nextPacketId = nextPacketId == 65535 ? 1 : nextPacketId + 1;
      if (!inflight.containsKey(id)) {
        return id;
      }
    }
  }
}
