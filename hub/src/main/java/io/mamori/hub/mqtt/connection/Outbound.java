package io.mamori.hub.mqtt.connection;

import io.netty.channel.Channel;
import io.netty.util.ReferenceCountUtil;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The packets (deliveries and PUBACKs) on their way to one connection, written in the order they
 * were handed over and flushed together: one flush (one TLS record, one write syscall) per
 * event-loop turn instead of one per message.
 *
 * <p>Deliveries come from any event loop (the publishers') and from the connection's own loop (its
 * PUBACKs free the in-flight window). Every packet goes through one queue, so the order in which
 * sessions hand them over (under the session's lock) is the order on the wire: MQTT 3.1.1 §4.6 /
 * MQTT 5 §4.6 ordered delivery, and packet ids leave in the order they were assigned.
 */
final class Outbound {
  // Packets written per task: a connection whose producers keep adding must not hold its event
  // loop (and the other connections on it) in one endless drain.
  static final int MAX_PER_DRAIN = 1024;
  private final Channel channel;
  private final Queue<Object> queue = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean drainScheduled = new AtomicBoolean();
  private final Runnable drain = this::drain;

  Outbound(Channel channel) {
    this.channel = channel;
  }

  /** Queues a packet for the connection; any thread, never blocks. */
  void add(Object packet) {
    queue.add(packet);
    // Only the first packet of a burst schedules the drain; later ones ride along with it.
    scheduleDrain();
  }

  private void scheduleDrain() {
    if (drainScheduled.compareAndSet(false, true)) {
      try {
        channel.eventLoop().execute(drain);
      } catch (RejectedExecutionException e) {
        // The event loop is shutting down with the hub: the connection is closing anyway.
        discard();
      }
    }
  }

  private void discard() {
    Object packet;
    while ((packet = queue.poll()) != null) {
      ReferenceCountUtil.release(packet);
    }
  }

  private void drain() {
    // Reset before polling: a packet added after this point either is polled below or schedules
    // the next drain, so none is left behind unflushed.
    drainScheduled.set(false);
    boolean written = false;
    Object packet;
    for (int n = 0; n < MAX_PER_DRAIN && (packet = queue.poll()) != null; n++) {
      if (channel.isActive()) {
        channel.write(packet, channel.voidPromise());
        written = true;
      } else {
        ReferenceCountUtil.release(packet);
      }
    }
    if (written) {
      channel.flush();
    }
    if (!queue.isEmpty()) {
      scheduleDrain(); // the rest in a later task, after the loop's other work
    }
  }
}
