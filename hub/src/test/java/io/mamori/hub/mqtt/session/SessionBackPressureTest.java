package io.mamori.hub.mqtt.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.mamori.hub.mqtt.InMemoryRetainedStore;
import io.mamori.hub.mqtt.InMemorySessionStore;
import io.mamori.hub.mqtt.persistence.StoreWriter;
import io.mamori.hub.mqtt.session.SessionTest.RecordingLink;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A session's congestion marks and the publishers waiting for it to drain. */
class SessionBackPressureTest {
  private final StoreWriter writer =
      new StoreWriter(new InMemorySessionStore(), new InMemoryRetainedStore());
  private final Instant now = Instant.parse("2026-01-01T00:00:00Z");
  // In flight 2, queue 10, congested from 4 queued, relieved at 2.
  private final Session session = new Session("sub", writer, 2, 10, 4, 2);
  private final RecordingLink link = new RecordingLink();
  private final Publisher publisher = new Publisher();

  /** Records which sessions said they drained. */
  static final class Publisher implements DrainListener {
    final List<Session> congested = new ArrayList<>();
    final List<Session> drained = new ArrayList<>();

    @Override
    public void congested(Session session) {
      congested.add(session);
    }

    @Override
    public void drained(Session session) {
      drained.add(session);
    }
  }

  private void offer(int count) {
    for (int i = 0; i < count; i++) {
      session.offer("t", "m".getBytes(StandardCharsets.UTF_8), 1, false, now);
    }
  }

  private void acknowledgeOldest(int count) {
    for (int i = 0; i < count; i++) {
      session.acknowledge(link.sent.get(acknowledged++).packetId());
    }
  }

  private int acknowledged;

  @Test
  void belowTheHighWaterMarkNoPublisherIsHeldBack() {
    session.attach(link);
    offer(2 + 3); // 2 in flight, 3 queued

    assertThat(session.holdBack(publisher)).isFalse();
  }

  @Test
  void aCongestedSessionReleasesItsPublishersOnceAtTheLowWaterMark() {
    session.attach(link);
    offer(2 + 4); // 2 in flight, 4 queued: congested
    assertThat(session.holdBack(publisher)).isTrue();
    assertThat(session.holdBack(publisher)).isTrue(); // a second message of the same publisher

    acknowledgeOldest(1); // 3 queued: still above the low-water mark (hysteresis)
    assertThat(publisher.drained).isEmpty();
    assertThat(session.holdBack(new Publisher())).isTrue();

    acknowledgeOldest(1); // 2 queued: relieved
    assertThat(publisher.drained).containsExactly(session); // told once, not once per message
    assertThat(session.holdBack(publisher)).isFalse();
  }

  @Test
  void anOfflineSessionNeverHoldsPublishersBack() {
    offer(8); // persistent or not: nothing drains it while no client is connected

    assertThat(session.holdBack(publisher)).isFalse();
  }

  @Test
  void theSubscriberDisconnectingReleasesItsPublishers() {
    session.attach(link);
    offer(2 + 5);
    assertThat(session.holdBack(publisher)).isTrue();

    session.detach(link, now);

    assertThat(publisher.drained).containsExactly(session);
    assertThat(session.holdBack(publisher)).isFalse();
  }

  @Test
  void discardingTheSessionReleasesItsPublishers() {
    session.attach(link);
    offer(2 + 5);
    assertThat(session.holdBack(publisher)).isTrue();

    session.markDiscarded();

    assertThat(publisher.drained).containsExactly(session);
  }

  @Test
  void aPublisherThatWentAwayIsNotToldAnything() {
    session.attach(link);
    offer(2 + 5);
    assertThat(session.holdBack(publisher)).isTrue();

    session.stopHoldingBack(publisher);
    acknowledgeOldest(4);

    assertThat(publisher.drained).isEmpty();
  }

  @Test
  void backPressureOffNeverHoldsBack() {
    var unlimited = new Session("sub", writer, 2, 10);
    unlimited.attach(link);
    for (int i = 0; i < 12; i++) {
      unlimited.offer("t", new byte[1], 1, false, now);
    }

    assertThat(unlimited.holdBack(publisher)).isFalse();
  }
}
