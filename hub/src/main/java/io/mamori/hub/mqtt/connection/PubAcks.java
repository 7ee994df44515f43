package io.mamori.hub.mqtt.connection;

import io.mamori.hub.mqtt.session.DrainListener;
import io.mamori.hub.mqtt.session.Session;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.LongSupplier;

/**
 * The PUBACKs one publishing connection owes, sent in the order their PUBLISHes came in (MQTT 3.1.1
 * §4.6 / MQTT 5 §4.6), each once it may go: its message is committed to the store (crash safety),
 * and no subscriber session it was queued for is congested (publisher back-pressure; MQTT lets the
 * acknowledgement come later, so a publisher with a bounded in-flight window slows down instead of
 * filling the subscriber's queue). Congestion holds an ack back for at most {@code maxDelay}; the
 * store commit is always waited for.
 *
 * <p>Confined to the connection's event loop, except {@link #drained}, which a subscriber's loop
 * calls and which hands over to this loop. Nothing here blocks: the channel keeps being read, so
 * the publisher's own PUBACKs for its deliveries keep draining its session (a client publishing to
 * itself cannot deadlock).
 */
final class PubAcks implements DrainListener {
  /** Sends one PUBACK (queued behind the connection's deliveries). */
  @FunctionalInterface
  interface Sender {
    void send(int packetId, byte reasonCode);
  }

  /** Runs a task on the connection's event loop after a delay (the loop's own scheduler). */
  @FunctionalInterface
  interface Timer {
    void schedule(Runnable task, long delayNanos);
  }

  /** One PUBACK not sent yet. */
  static final class Pending {
    private final int packetId;
    private final byte code;
    private boolean stored;
    // Congested sessions the message was queued for, not relieved yet (usually one).
    private final List<Session> congested;
    private final long deadline;
    private boolean overdue;

    private Pending(
        int packetId, byte code, boolean stored, List<Session> congested, long deadline) {
      this.packetId = packetId;
      this.code = code;
      this.stored = stored;
      this.congested = congested;
      this.deadline = deadline;
    }

    private boolean ready() {
      return stored && (congested.isEmpty() || overdue);
    }
  }

  private final Executor loop;
  private final Timer timer;
  private final LongSupplier nanoTime;
  private final long maxDelayNanos;
  private final Sender sender;
  private final Deque<Pending> queue = new ArrayDeque<>();
  // Sessions found congested while the current PUBLISH was routed, taken by the next add().
  private List<Session> congestedNow = new ArrayList<>(1);
  // Sessions that will call drained(this): told to forget this connection when it closes.
  private final Set<Session> registered = new HashSet<>();
  private boolean timerArmed;
  private boolean closed;
  private long releasedOverdue;

  PubAcks(Executor loop, Timer timer, LongSupplier nanoTime, Duration maxDelay, Sender sender) {
    this.loop = loop;
    this.timer = timer;
    this.nanoTime = nanoTime;
    this.maxDelayNanos = maxDelay.toNanos();
    this.sender = sender;
  }

  @Override
  public void congested(Session session) {
    congestedNow.add(session);
    registered.add(session);
  }

  @Override
  public void drained(Session session) {
    try {
      loop.execute(() -> relieved(session));
    } catch (RejectedExecutionException e) {
      // The event loop is shutting down with the hub: the connection is closing anyway.
    }
  }

  /**
   * The PUBACK for the PUBLISH just dispatched: it waits for the sessions reported congested while
   * it was routed and, with {@code storePending}, for {@link #stored}. Sent at once when nothing
   * holds it and no earlier one waits.
   *
   * @return the pending PUBACK to hand to {@link #stored} once the store committed
   */
  Pending add(int packetId, byte code, boolean storePending) {
    if (closed) {
      return null;
    }
    if (queue.isEmpty() && !storePending && congestedNow.isEmpty()) {
      sender.send(packetId, code);
      return null;
    }
    List<Session> waitingFor = List.of();
    long deadline = 0;
    if (!congestedNow.isEmpty()) {
      waitingFor = congestedNow;
      congestedNow = new ArrayList<>(1);
      deadline = nanoTime.getAsLong() + maxDelayNanos;
      armTimer(maxDelayNanos);
    }
    var pending = new Pending(packetId, code, !storePending, waitingFor, deadline);
    queue.add(pending);
    release();
    return pending;
  }

  /** The store committed the message behind {@code pending}. */
  void stored(Pending pending) {
    if (pending == null || closed) {
      return;
    }
    pending.stored = true;
    release();
  }

  /** PUBACKs held back for congestion now, for tests and diagnostics. */
  int heldBack() {
    return (int) queue.stream().filter(p -> !p.congested.isEmpty() && !p.overdue).count();
  }

  /** PUBACKs released by {@code maxDelay} rather than by their subscribers draining. */
  long releasedOverdue() {
    return releasedOverdue;
  }

  /**
   * The connection closed: its PUBACKs have nowhere to go (the messages stay queued, so the
   * client's resend after a reconnect is a duplicate, which QoS 1 allows), and the sessions it
   * waited on forget it.
   */
  void close() {
    closed = true;
    queue.clear();
    congestedNow.clear();
    for (Session session : registered) {
      session.stopHoldingBack(this);
    }
    registered.clear();
  }

  private void relieved(Session session) {
    registered.remove(session);
    if (closed) {
      return;
    }
    for (Pending pending : queue) {
      if (!pending.congested.isEmpty()) {
        pending.congested.remove(session);
      }
    }
    release();
  }

  private void release() {
    while (!queue.isEmpty() && queue.peekFirst().ready()) {
      Pending pending = queue.pollFirst();
      sender.send(pending.packetId, pending.code);
    }
  }

  private void armTimer(long delayNanos) {
    if (!timerArmed) {
      timerArmed = true;
      timer.schedule(this::onTimer, delayNanos);
    }
  }

  /** Releases held-back PUBACKs past their deadline; re-arms for the next one. */
  private void onTimer() {
    timerArmed = false;
    if (closed) {
      return;
    }
    long now = nanoTime.getAsLong();
    // Deadlines grow in queue order (one delay for all), so the first one not due ends the scan.
    for (Pending pending : queue) {
      if (pending.congested.isEmpty() || pending.overdue) {
        continue;
      }
      if (pending.deadline - now > 0) {
        armTimer(pending.deadline - now);
        break;
      }
      pending.overdue = true;
      releasedOverdue++;
    }
    release();
  }
}
