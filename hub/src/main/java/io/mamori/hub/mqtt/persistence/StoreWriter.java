package io.mamori.hub.mqtt.persistence;

import io.mamori.hub.mqtt.QueuedMessage;
import io.mamori.hub.mqtt.RetainedMessage;
import io.mamori.hub.mqtt.RetainedMessageStore;
import io.mamori.hub.mqtt.SessionStore;
import io.mamori.hub.mqtt.StoredSession;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Write-through of sessions, queued messages and retained messages to their stores on one ordered
 * thread, so that event loops never wait for a database and writes land in the order they were made
 * (an enqueue is never overtaken by its acknowledge).
 *
 * <p>Writes that queue up while the thread is busy are committed together in one store transaction
 * (group commit: one fsync for many messages). {@link #whenStored} runs an action once every write
 * made before it has committed; the broker acknowledges a QoS 1 PUBLISH that way, so a PUBACK is
 * only sent for a message that survives {@code kill -9}.
 */
public final class StoreWriter implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(StoreWriter.class);
  // Bounds one transaction, so a long backlog still commits (and acknowledges) in steps.
  private static final int MAX_BATCH = 512;

  private final SessionStore sessions;
  private final RetainedMessageStore retained;
  private final BlockingQueue<Write> queue = new LinkedBlockingQueue<>();
  private final Thread thread;
  private final AtomicLong submitted = new AtomicLong();
  private final AtomicLong completed = new AtomicLong();
  private volatile boolean closing;

  /** One queued step: a store write, or (with {@code write} null) an action waiting for commits. */
  private record Write(String operation, Runnable write, Runnable afterCommit) {}

  private static final Write STOP = new Write("stop", null, null);

  public StoreWriter(SessionStore sessions, RetainedMessageStore retained) {
    this.sessions = sessions;
    this.retained = retained;
    this.thread = new Thread(this::run, "mqtt-store-writer");
    thread.setDaemon(true);
    thread.start();
  }

  public void saveSession(StoredSession session) {
    submit("save-session", () -> sessions.save(session));
  }

  public void deleteSession(String clientId) {
    submit("delete-session", () -> sessions.delete(clientId));
  }

  public void enqueue(String clientId, QueuedMessage message) {
    submit("enqueue", () -> sessions.enqueue(clientId, message));
  }

  public void acknowledge(String clientId, long sequence) {
    submit("acknowledge", () -> sessions.acknowledge(clientId, sequence));
  }

  public void putRetained(RetainedMessage message) {
    submit("put-retained", () -> retained.put(message));
  }

  public void removeRetained(String topic) {
    submit("remove-retained", () -> retained.remove(topic));
  }

  /** True while a write made so far has not committed yet. */
  public boolean pending() {
    return completed.get() < submitted.get();
  }

  /**
   * Runs {@code action} (on the writer thread: it must hand off, not block) once every write made
   * before this call has been committed, or at once if none is pending. Dropped after {@link
   * #close}: what it would confirm may never be stored.
   */
  public void whenStored(Runnable action) {
    if (!pending()) {
      action.run();
      return;
    }
    if (closing) {
      log.warn("store confirmation after close dropped");
      return;
    }
    queue.add(new Write("confirm", null, action));
  }

  private void submit(String operation, Runnable write) {
    if (closing) {
      log.warn("store write after close dropped operation={}", operation);
      return;
    }
    submitted.incrementAndGet();
    queue.add(new Write(operation, write, null));
  }

  private void run() {
    List<Write> batch = new ArrayList<>();
    while (true) {
      try {
        batch.add(queue.take());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      queue.drainTo(batch, MAX_BATCH - 1);
      boolean stop = batch.remove(STOP);
      commit(batch);
      batch.clear();
      if (stop) {
        return;
      }
    }
  }

  /** Commits the batch's writes together, then runs the actions that waited for them. */
  private void commit(List<Write> batch) {
    List<Write> writes = batch.stream().filter(w -> w.write() != null).toList();
    if (!writes.isEmpty()) {
      try {
        sessions.inOneTransaction(() -> writes.forEach(w -> w.write().run()));
      } catch (RuntimeException e) {
        // One bad write spoiled the transaction and it rolled back whole: each write again on its
        // own, so the others still land and only the bad one is lost (and reported).
        writes.forEach(StoreWriter::writeAlone);
      }
      completed.addAndGet(writes.size());
    }
    for (Write w : batch) {
      if (w.afterCommit() != null) {
        try {
          w.afterCommit().run();
        } catch (RuntimeException e) {
          log.error("store confirmation failed reason={}", e.toString());
        }
      }
    }
  }

  private static void writeAlone(Write w) {
    try {
      w.write().run();
    } catch (RuntimeException e) {
      // The broker's memory stays the truth while running; a failed write only risks what a
      // restart would recover, so it is reported and the next write goes on.
      log.error("store write failed operation={} reason={}", w.operation(), e.toString());
    }
  }

  /** Finishes every write already submitted, waiting at most {@code timeout}. */
  public void flush(Duration timeout) {
    if (!closing) {
      closing = true;
      queue.add(STOP);
    }
    try {
      thread.join(timeout.toMillis());
      if (thread.isAlive()) {
        log.error("store writer did not finish within timeoutMs={}", timeout.toMillis());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    flush(Duration.ofSeconds(30));
  }
}
