package io.mamori.hub.events;

import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes every event as one structured key=value line on the {@code mamori.events} logger.
 *
 * <p>Events are published on Netty event loops, which must never wait for I/O, so lines are written
 * by one background thread from a bounded queue. When a flood fills the queue, lines are dropped
 * and their count is logged with the next line written (the tamper-evident audit log of a later
 * issue, not this log, is the record that must not lose anything).
 */
public final class EventLog implements Consumer<HubEvent>, AutoCloseable {
  static final int QUEUE_CAPACITY = 10_000;
  private static final Logger log = LoggerFactory.getLogger("mamori.events");
  private final AtomicLong dropped = new AtomicLong();
  private final java.util.concurrent.atomic.LongAdder droppedTotal =
      new java.util.concurrent.atomic.LongAdder();
  private final ThreadPoolExecutor writer =
      new ThreadPoolExecutor(
          1,
          1,
          0,
          TimeUnit.SECONDS,
          new ArrayBlockingQueue<>(QUEUE_CAPACITY),
          r -> {
            Thread t = new Thread(r, "mamori-event-log");
            t.setDaemon(true);
            return t;
          });

  @Override
  public void accept(HubEvent event) {
    if (!log.isInfoEnabled()) {
      return;
    }
    try {
      writer.execute(() -> write(event));
    } catch (RejectedExecutionException full) {
      dropped.incrementAndGet();
      droppedTotal.increment();
    }
  }

  /** Lines dropped because the queue was full, since start (a metric). */
  public long droppedTotal() {
    return droppedTotal.sum();
  }

  private void write(HubEvent event) {
    long lost = dropped.getAndSet(0);
    if (lost > 0) {
      log.warn("event log queue was full, lines dropped={}", lost);
    }
    log.info(format(event));
  }

  /** Writes what is queued (waiting at most two seconds) and stops the writer thread. */
  @Override
  public void close() {
    writer.shutdown();
    try {
      writer.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static String format(HubEvent e) {
    // A plain loop, not a stream: this runs for every event (two per MQTT connection).
    StringBuilder line = new StringBuilder(128);
    line.append("event=").append(e.type());
    line.append(" outcome=").append(e.outcome());
    line.append(" actor=").append(quote(e.actor()));
    line.append(" subject=").append(quote(e.subject()));
    line.append(" reason=").append(quote(e.reason()));
    for (Map.Entry<String, String> d : e.details().entrySet()) {
      line.append(' ').append(d.getKey()).append('=').append(quote(d.getValue()));
    }
    return line.toString();
  }

  /** Quotes values with spaces or quotes so that a line always parses back into its fields. */
  static String quote(String value) {
    if (value.isEmpty()) {
      return "\"\"";
    }
    if (isPlain(value)) {
      return value;
    }
    return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + '"';
  }

  private static boolean isPlain(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c <= ' ' || c == '"' || c == '=' || c == '\\') {
        return false;
      }
    }
    return true;
  }
}
