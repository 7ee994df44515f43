package io.mamori.hub.mqtt.persistence;

import io.mamori.hub.mqtt.QueuedMessage;
import io.mamori.hub.mqtt.RetainedMessage;
import io.mamori.hub.mqtt.RetainedMessageStore;
import io.mamori.hub.mqtt.SessionStore;
import io.mamori.hub.mqtt.StoredSession;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Write-through of sessions, queued messages and retained messages to their stores on one ordered
 * thread, so that event loops never wait for a database and writes land in the order they were made
 * (an enqueue is never overtaken by its acknowledge).
 */
public final class StoreWriter implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(StoreWriter.class);
  private final SessionStore sessions;
  private final RetainedMessageStore retained;
  private final ExecutorService thread;

  public StoreWriter(SessionStore sessions, RetainedMessageStore retained) {
    this.sessions = sessions;
    this.retained = retained;
    this.thread =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "mqtt-store-writer");
              t.setDaemon(true);
              return t;
            });
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

  private void submit(String operation, Runnable write) {
    try {
      thread.execute(
          () -> {
            try {
              write.run();
            } catch (RuntimeException e) {
              // The broker's memory stays the truth while running; a failed write only risks what
              // a restart would recover, so it is reported and the next write goes on.
              log.error("store write failed operation={} reason={}", operation, e.toString());
            }
          });
    } catch (RejectedExecutionException e) {
      log.warn("store write after close dropped operation={}", operation);
    }
  }

  /** Finishes every write already submitted, waiting at most {@code timeout}. */
  public void flush(Duration timeout) {
    thread.shutdown();
    try {
      if (!thread.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
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
