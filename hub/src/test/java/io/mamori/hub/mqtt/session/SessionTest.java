package io.mamori.hub.mqtt.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.mamori.hub.mqtt.InMemoryRetainedStore;
import io.mamori.hub.mqtt.InMemorySessionStore;
import io.mamori.hub.mqtt.persistence.StoreWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SessionTest {
  private final InMemorySessionStore store = new InMemorySessionStore();
  private final StoreWriter writer = new StoreWriter(store, new InMemoryRetainedStore());
  private final Instant now = Instant.parse("2026-01-01T00:00:00Z");

  /** Records what the session writes to the connection. */
  static final class RecordingLink implements SessionLink {
    record Sent(String topic, String payload, int qos, int packetId, boolean dup) {}

    final List<Sent> sent = new ArrayList<>();
    String deniedPrefix = "secret/";
    int receiveMaximum = Integer.MAX_VALUE;

    @Override
    public int receiveMaximum() {
      return receiveMaximum;
    }

    @Override
    public boolean mayReceive(String topic) {
      return !topic.startsWith(deniedPrefix);
    }

    @Override
    public void send(
        String topic, byte[] payload, int qos, int packetId, boolean retain, boolean dup) {
      sent.add(new Sent(topic, new String(payload, StandardCharsets.UTF_8), qos, packetId, dup));
    }

    @Override
    public String principalId() {
      return "cert-1";
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void qos1MessagesBeyondTheInflightWindowWaitForPubAcks() {
    var session = new Session("c", writer, 2, 10);
    var link = new RecordingLink();
    session.attach(link);

    assertThat(session.offer("t", bytes("1"), 1, false, now)).isEqualTo(Offer.SENT);
    assertThat(session.offer("t", bytes("2"), 1, false, now)).isEqualTo(Offer.SENT);
    assertThat(session.offer("t", bytes("3"), 1, false, now)).isEqualTo(Offer.QUEUED);
    assertThat(link.sent).extracting(RecordingLink.Sent::payload).containsExactly("1", "2");

    session.acknowledge(link.sent.get(0).packetId());
    assertThat(link.sent).extracting(RecordingLink.Sent::payload).containsExactly("1", "2", "3");
    assertThat(link.sent).extracting(RecordingLink.Sent::packetId).doesNotHaveDuplicates();
  }

  @Test
  void neverMoreInFlightThanTheClientsReceiveMaximum() {
    var session = new Session("c", writer, 10, 100);
    var link = new RecordingLink();
    link.receiveMaximum = 2;
    session.attach(link);

    assertThat(session.offer("t", bytes("1"), 1, false, now)).isEqualTo(Offer.SENT);
    assertThat(session.offer("t", bytes("2"), 1, false, now)).isEqualTo(Offer.SENT);
    assertThat(session.offer("t", bytes("3"), 1, false, now)).isEqualTo(Offer.QUEUED);
    assertThat(link.sent).extracting(RecordingLink.Sent::payload).containsExactly("1", "2");

    session.acknowledge(link.sent.get(0).packetId());
    assertThat(link.sent).extracting(RecordingLink.Sent::payload).containsExactly("1", "2", "3");
  }

  @Test
  void aResumedSessionResendsNoMoreThanTheNewConnectionsReceiveMaximum() {
    var session = new Session("c", writer, 10, 100);
    var first = new RecordingLink();
    session.attach(first);
    for (String p : List.of("1", "2", "3", "4", "5")) {
      session.offer("t", bytes(p), 1, false, now);
    }
    session.detach(first, now);

    var second = new RecordingLink();
    second.receiveMaximum = 2;
    session.attach(second);
    // Only two go out again, with DUP and their original ids; the rest wait for PUBACKs.
    assertThat(second.sent).extracting(RecordingLink.Sent::payload).containsExactly("1", "2");
    assertThat(second.sent).allMatch(RecordingLink.Sent::dup);
    assertThat(second.sent)
        .extracting(RecordingLink.Sent::packetId)
        .containsExactly(first.sent.get(0).packetId(), first.sent.get(1).packetId());

    session.acknowledge(second.sent.get(0).packetId());
    assertThat(second.sent).extracting(RecordingLink.Sent::payload).containsExactly("1", "2", "3");
    assertThat(second.sent.get(2).dup()).isTrue();
    assertThat(second.sent.get(2).packetId()).isEqualTo(first.sent.get(2).packetId());
    // An id the client acknowledges before it was resent frees no slot: still two out.
    session.acknowledge(first.sent.get(3).packetId());
    assertThat(second.sent).hasSize(3);
    session.acknowledge(second.sent.get(1).packetId());
    session.acknowledge(second.sent.get(2).packetId());
    assertThat(second.sent)
        .extracting(RecordingLink.Sent::payload)
        .containsExactly("1", "2", "3", "5");
    assertThat(second.sent.get(3).dup()).isTrue();
    assertThat(second.sent.get(3).packetId()).isEqualTo(first.sent.get(4).packetId());
    // Only now, with every earlier message out again, does a new one go out.
    assertThat(session.offer("t", bytes("6"), 1, false, now)).isEqualTo(Offer.SENT);
    assertThat(second.sent.get(4).dup()).isFalse();
  }

  @Test
  void queueFullRefusalsAreReportedAtMostOncePerIntervalWithTheirCount() {
    var session = new Session("c", writer, 1, 1);
    var second = Duration.ofSeconds(1);

    assertThat(session.refusalsToReport(now, second)).isEqualTo(1);
    assertThat(session.refusalsToReport(now.plusMillis(10), second)).isZero();
    assertThat(session.refusalsToReport(now.plusMillis(999), second)).isZero();
    // The next report carries the refusals held back since the previous one.
    assertThat(session.refusalsToReport(now.plusSeconds(1), second)).isEqualTo(3);
    assertThat(session.refusalsToReport(now.plusSeconds(5), second)).isEqualTo(1);
  }

  @Test
  void fullQueueRefusesTheNewestMessage() {
    var session = new Session("c", writer, 1, 2);
    session.setExpiry(60);
    assertThat(session.offer("t", bytes("1"), 1, false, now)).isEqualTo(Offer.QUEUED);
    assertThat(session.offer("t", bytes("2"), 1, false, now)).isEqualTo(Offer.QUEUED);
    assertThat(session.offer("t", bytes("3"), 1, false, now)).isEqualTo(Offer.QUEUE_FULL);

    var link = new RecordingLink();
    session.attach(link);
    session.acknowledge(link.sent.get(0).packetId());
    assertThat(link.sent).extracting(RecordingLink.Sent::payload).containsExactly("1", "2");
  }

  @Test
  void unacknowledgedMessagesAreResentWithDupAndTheSamePacketIdOnReconnect() {
    var session = new Session("c", writer, 10, 10);
    session.setExpiry(60);
    var first = new RecordingLink();
    session.attach(first);
    session.offer("t", bytes("m"), 1, false, now);
    session.detach(first, now);

    var second = new RecordingLink();
    session.attach(second);
    assertThat(second.sent)
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.dup()).isTrue();
              assertThat(s.packetId()).isEqualTo(first.sent.get(0).packetId());
            });
  }

  @Test
  void receivePermissionIsCheckedOnEveryDeliveryIncludingQueuedOnes() {
    var session = new Session("c", writer, 10, 10);
    session.setExpiry(60);
    session.offer("secret/x", bytes("s"), 1, false, now);
    session.offer("open/x", bytes("o"), 1, false, now);
    var link = new RecordingLink();
    session.attach(link);
    assertThat(link.sent).extracting(RecordingLink.Sent::payload).containsExactly("o");
    assertThat(session.offer("secret/y", bytes("s"), 0, false, now)).isEqualTo(Offer.DENIED);
  }

  @Test
  void persistentSessionWritesQueueAndAcknowledgementsThrough() {
    var session = new Session("c", writer, 10, 10);
    session.setExpiry(60);
    session.offer("t", bytes("1"), 1, false, now);
    session.offer("t", bytes("2"), 1, false, now);
    var link = new RecordingLink();
    session.attach(link);
    session.acknowledge(link.sent.get(0).packetId());
    writer.flush(Duration.ofSeconds(5));

    assertThat(store.queued("c"))
        .extracting(m -> new String(m.payload(), StandardCharsets.UTF_8))
        .containsExactly("2");
  }

  @Test
  void offlineSessionExpiresAfterItsInterval() {
    var session = new Session("c", writer, 10, 10);
    session.setExpiry(60);
    var link = new RecordingLink();
    session.attach(link);
    assertThat(session.expired(now.plusSeconds(3600))).isFalse();
    session.detach(link, now);
    assertThat(session.expired(now.plusSeconds(59))).isFalse();
    assertThat(session.expired(now.plusSeconds(60))).isTrue();
  }
}
