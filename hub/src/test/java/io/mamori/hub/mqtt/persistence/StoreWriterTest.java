package io.mamori.hub.mqtt.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.mamori.hub.mqtt.InMemoryRetainedStore;
import io.mamori.hub.mqtt.QueuedMessage;
import io.mamori.hub.mqtt.SessionStore;
import io.mamori.hub.mqtt.StoredSession;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StoreWriterTest {
  private static final long REFUSED = -1; // the sequence the store refuses to write
  private final TransactionalStore store = new TransactionalStore();
  private final StoreWriter writer = new StoreWriter(store, new InMemoryRetainedStore());

  @AfterEach
  void close() {
    store.gate.countDown();
    writer.close();
  }

  @Test
  void confirmationWaitsUntilEarlierWritesHaveCommitted() {
    AtomicBoolean confirmed = new AtomicBoolean();
    writer.enqueue("c", message(1));
    writer.whenStored(() -> confirmed.set(true));

    assertThat(writer.pending()).isTrue();
    assertThat(confirmed).isFalse();
    assertThat(store.committed).isEmpty();

    store.gate.countDown();
    Awaitility.await().atMost(Duration.ofSeconds(10)).untilTrue(confirmed);
    assertThat(store.committed).extracting(QueuedMessage::sequence).containsExactly(1L);
    assertThat(writer.pending()).isFalse();
  }

  @Test
  void confirmationWithNothingPendingRunsAtOnce() {
    AtomicBoolean confirmed = new AtomicBoolean();
    writer.whenStored(() -> confirmed.set(true));
    assertThat(confirmed).isTrue();
  }

  @Test
  void writesThatQueueUpCommitInOneTransaction() {
    for (int i = 1; i <= 100; i++) {
      writer.enqueue("c", message(i));
    }
    AtomicBoolean confirmed = new AtomicBoolean();
    writer.whenStored(() -> confirmed.set(true));
    store.gate.countDown();

    Awaitility.await().atMost(Duration.ofSeconds(10)).untilTrue(confirmed);
    assertThat(store.committed).hasSize(100);
    // The first write may have started alone before the others were queued.
    assertThat(store.transactions.get()).isLessThanOrEqualTo(2);
  }

  @Test
  void aFailingWriteRollsBackItsBatchButTheOthersAreWrittenAgainAlone() {
    writer.enqueue("c", message(1));
    writer.enqueue("c", message(REFUSED));
    writer.enqueue("c", message(2));
    AtomicBoolean confirmed = new AtomicBoolean();
    writer.whenStored(() -> confirmed.set(true));
    store.gate.countDown();

    Awaitility.await().atMost(Duration.ofSeconds(10)).untilTrue(confirmed);
    assertThat(store.committed).extracting(QueuedMessage::sequence).containsExactly(1L, 2L);
  }

  private static QueuedMessage message(long sequence) {
    return new QueuedMessage(sequence, "t", new byte[] {1}, 1, false, Instant.EPOCH);
  }

  /**
   * Records committed enqueues; a transaction keeps its writes apart until it ends and drops them
   * when a write fails, as a database rolls back. Nothing commits until {@code gate} opens.
   */
  private static final class TransactionalStore implements SessionStore {
    final CountDownLatch gate = new CountDownLatch(1);
    final List<QueuedMessage> committed = new CopyOnWriteArrayList<>();
    final AtomicInteger transactions = new AtomicInteger();
    private List<QueuedMessage> open;

    @Override
    public void inOneTransaction(Runnable writes) {
      awaitGate();
      transactions.incrementAndGet();
      open = new ArrayList<>();
      try {
        writes.run();
        committed.addAll(open);
      } finally {
        open = null;
      }
    }

    @Override
    public void enqueue(String clientId, QueuedMessage message) {
      if (message.sequence() == REFUSED) {
        throw new IllegalStateException("refused");
      }
      if (open != null) {
        open.add(message);
      } else {
        awaitGate();
        committed.add(message);
      }
    }

    private void awaitGate() {
      try {
        gate.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    @Override
    public List<StoredSession> loadAll() {
      return List.of();
    }

    @Override
    public void save(StoredSession session) {}

    @Override
    public void delete(String clientId) {}

    @Override
    public void acknowledge(String clientId, long sequence) {}

    @Override
    public List<QueuedMessage> queued(String clientId) {
      return List.of();
    }
  }
}
