package io.mamori.hub.mqtt.connection;

import static org.assertj.core.api.Assertions.assertThat;

import io.mamori.hub.mqtt.InMemoryRetainedStore;
import io.mamori.hub.mqtt.InMemorySessionStore;
import io.mamori.hub.mqtt.persistence.StoreWriter;
import io.mamori.hub.mqtt.session.Session;
import io.mamori.hub.mqtt.session.SessionLink;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import org.junit.jupiter.api.Test;

/**
 * The order and timing of a publisher's PUBACKs under store waits and back-pressure, with a fake
 * event loop (tasks run when the test says), a fake timer and a fake clock.
 */
class PubAcksTest {
  private static final Duration MAX_DELAY = Duration.ofSeconds(2);
  private final Queue<Runnable> loop = new ArrayDeque<>();
  private final List<Timed> timers = new ArrayList<>();
  private long nanos = 1_000;
  private final List<Integer> sent = new ArrayList<>();
  private final PubAcks acks =
      new PubAcks(
          loop::add,
          (task, delay) -> timers.add(new Timed(task, nanos + delay)),
          () -> nanos,
          MAX_DELAY,
          (packetId, code) -> sent.add(packetId));
  private final StoreWriter writer =
      new StoreWriter(new InMemorySessionStore(), new InMemoryRetainedStore());
  private final Instant now = Instant.parse("2026-01-01T00:00:00Z");

  private record Timed(Runnable task, long due) {}

  /**
   * A subscriber that acknowledges when told: in flight 1, congested from 2 queued, relieved at 0.
   */
  private final class Subscriber implements SessionLink {
    final Session session = new Session("sub", writer, 1, 100, 2, 0);
    final List<Integer> packetIds = new ArrayList<>();

    Subscriber() {
      session.attach(this);
    }

    /** Queues messages until the session is congested and reports it to the publisher. */
    void congest() {
      while (!session.holdBack(acks)) {
        session.offer("t", new byte[1], 1, false, now);
      }
      acks.congested(session);
    }

    void acknowledgeAll() {
      while (!packetIds.isEmpty()) {
        session.acknowledge(packetIds.remove(0));
      }
    }

    @Override
    public boolean mayReceive(String topic) {
      return true;
    }

    @Override
    public void send(
        String topic, byte[] payload, int qos, int packetId, boolean retain, boolean dup) {
      packetIds.add(packetId);
    }

    @Override
    public String principalId() {
      return "sub";
    }
  }

  private void runLoop() {
    Runnable task;
    while ((task = loop.poll()) != null) {
      task.run();
    }
  }

  private void advance(Duration by) {
    nanos += by.toNanos();
    for (Timed timed : List.copyOf(timers)) {
      if (timed.due() <= nanos) {
        timers.remove(timed);
        timed.task().run();
      }
    }
  }

  @Test
  void withNothingToWaitForThePubAckGoesOutAtOnce() {
    acks.add(1, (byte) 0, false);

    assertThat(sent).containsExactly(1);
    assertThat(timers).isEmpty();
  }

  @Test
  void aPubAckForACongestedSubscriberWaitsUntilItDrains() {
    var subscriber = new Subscriber();
    subscriber.congest();
    acks.add(7, (byte) 0, false);
    assertThat(sent).isEmpty();
    assertThat(acks.heldBack()).isEqualTo(1);

    subscriber.acknowledgeAll(); // the subscriber's loop relieves the session ...
    assertThat(sent).isEmpty(); // ... and the release runs on the publisher's loop
    runLoop();

    assertThat(sent).containsExactly(7);
    assertThat(acks.releasedOverdue()).isZero();
  }

  @Test
  void laterPubAcksWaitBehindAHeldBackOne() {
    var subscriber = new Subscriber();
    subscriber.congest();
    acks.add(1, (byte) 0, false);
    acks.add(2, (byte) 0, false); // to an idle topic: nothing holds it but the order
    assertThat(sent).isEmpty();

    subscriber.acknowledgeAll();
    runLoop();

    assertThat(sent).containsExactly(1, 2);
  }

  @Test
  void aPubAckIsHeldBackAtMostTheMaximumDelay() {
    var stuck = new Subscriber();
    stuck.congest();
    acks.add(1, (byte) 0, false);

    advance(MAX_DELAY.minusMillis(1));
    assertThat(sent).isEmpty();
    advance(Duration.ofMillis(1));

    assertThat(sent).containsExactly(1);
    assertThat(acks.releasedOverdue()).isEqualTo(1);
  }

  @Test
  void eachHeldBackPubAckGetsItsOwnFullDelay() {
    var stuck = new Subscriber();
    stuck.congest();
    acks.add(1, (byte) 0, false);
    advance(Duration.ofSeconds(1));
    stuck.congest();
    acks.add(2, (byte) 0, false);

    advance(Duration.ofSeconds(1));
    assertThat(sent).containsExactly(1);
    advance(Duration.ofSeconds(1));

    assertThat(sent).containsExactly(1, 2);
  }

  @Test
  void theMaximumDelayNeverSkipsTheStoreCommit() {
    var stuck = new Subscriber();
    stuck.congest();
    PubAcks.Pending pending = acks.add(1, (byte) 0, true);

    advance(MAX_DELAY.plusSeconds(1));
    assertThat(sent).isEmpty();
    acks.stored(pending);

    assertThat(sent).containsExactly(1);
  }

  @Test
  void aPubAckWaitingForTwoCongestedSubscribersWaitsForBoth() {
    var first = new Subscriber();
    var second = new Subscriber();
    first.congest();
    second.congest();
    acks.add(1, (byte) 0, false);

    first.acknowledgeAll();
    runLoop();
    assertThat(sent).isEmpty();
    second.acknowledgeAll();
    runLoop();

    assertThat(sent).containsExactly(1);
  }

  @Test
  void aClosedPublishersPubAcksAreDroppedAndTheSessionForgetsIt() {
    var subscriber = new Subscriber();
    subscriber.congest();
    PubAcks.Pending pending = acks.add(1, (byte) 0, true);

    acks.close();
    acks.stored(pending);
    subscriber.acknowledgeAll();
    runLoop();
    advance(MAX_DELAY);

    assertThat(sent).isEmpty();
    assertThat(loop).isEmpty(); // the session no longer calls back
  }

  @Test
  void theSubscriberDisconnectingReleasesTheHeldBackPubAck() {
    var subscriber = new Subscriber();
    subscriber.congest();
    acks.add(1, (byte) 0, false);

    subscriber.session.detach(subscriber, now);
    runLoop();

    assertThat(sent).containsExactly(1);
  }
}
