package io.mamori.hub.store;

import static io.mamori.hub.store.Records.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.mamori.hub.mqtt.QueuedMessage;
import io.mamori.hub.mqtt.StoredSession;
import io.mamori.hub.mqtt.StoredSubscription;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What every {@link io.mamori.hub.mqtt.SessionStore} must do. */
abstract class SessionStoreContract extends StoreContract {
  private static StoredSession session(String clientId, StoredSubscription... subscriptions) {
    return new StoredSession(
        clientId, "a".repeat(64), List.of(subscriptions), 3600, Optional.empty());
  }

  private static QueuedMessage message(long sequence, String text) {
    return new QueuedMessage(
        sequence, "devices/d1/in", text.getBytes(StandardCharsets.UTF_8), 1, false, T0);
  }

  @Test
  void savedSessionsLoadWithTheirSubscriptions() {
    var connected = session("d1", new StoredSubscription("a/#", 1), new StoredSubscription("b", 0));
    var offline =
        new StoredSession("d2", "b".repeat(64), List.of(), 60, Optional.of(T0.plusSeconds(3)));
    store.sessions().save(connected);
    store.sessions().save(offline);

    assertThat(store.sessions().loadAll())
        .usingRecursiveFieldByFieldElementComparatorIgnoringFields("subscriptions")
        .containsExactlyInAnyOrder(connected, offline);
    assertThat(store.sessions().loadAll())
        .filteredOn(s -> s.clientId().equals("d1"))
        .flatExtracting(StoredSession::subscriptions)
        .containsExactlyInAnyOrderElementsOf(connected.subscriptions());
  }

  @Test
  void savingAgainReplacesTheSessionAndItsSubscriptionsButKeepsTheQueue() {
    store.sessions().save(session("d1", new StoredSubscription("a/#", 1)));
    store.sessions().enqueue("d1", message(1, "kept"));
    var replaced =
        new StoredSession(
            "d1", "c".repeat(64), List.of(new StoredSubscription("x/+", 0)), 10, Optional.of(T0));

    store.sessions().save(replaced);

    assertThat(store.sessions().loadAll()).containsExactly(replaced);
    assertThat(store.sessions().queued("d1")).hasSize(1);
  }

  @Test
  void queuedMessagesComeBackInSequenceOrder() {
    store.sessions().save(session("d1"));
    store.sessions().enqueue("d1", message(3, "three"));
    store.sessions().enqueue("d1", message(1, "one"));
    store.sessions().enqueue("d1", message(2, "two"));

    assertThat(store.sessions().queued("d1"))
        .extracting(QueuedMessage::sequence)
        .containsExactly(1L, 2L, 3L);
  }

  @Test
  void queuedMessageKeepsEveryFieldAndBinaryPayload() {
    byte[] payload = {0, 1, 2, (byte) 0xff, 0, 42};
    var m = new QueuedMessage(7, "t/1", payload, 1, true, T0);
    store.sessions().enqueue("d1", m);

    var stored = store.sessions().queued("d1").get(0);

    assertThat(stored).usingRecursiveComparison().isEqualTo(m);
    assertThat(stored.payload()).containsExactly(payload);
  }

  @Test
  void acknowledgeRemovesOnlyThatMessage() {
    store.sessions().enqueue("d1", message(1, "one"));
    store.sessions().enqueue("d1", message(2, "two"));
    store.sessions().enqueue("d2", message(1, "other client"));

    store.sessions().acknowledge("d1", 1);

    assertThat(store.sessions().queued("d1"))
        .extracting(QueuedMessage::sequence)
        .containsExactly(2L);
    assertThat(store.sessions().queued("d2")).hasSize(1);
  }

  @Test
  void deleteRemovesTheSessionAndItsQueue() {
    store.sessions().save(session("d1", new StoredSubscription("a", 1)));
    store.sessions().save(session("d2"));
    store.sessions().enqueue("d1", message(1, "one"));

    store.sessions().delete("d1");

    assertThat(store.sessions().loadAll())
        .extracting(StoredSession::clientId)
        .containsExactly("d2");
    assertThat(store.sessions().queued("d1")).isEmpty();
  }

  @Test
  void sessionsAndQueuesSurviveClosingAndReopening() {
    var s = session("d1", new StoredSubscription("a/#", 1));
    store.sessions().save(s);
    store.sessions().enqueue("d1", message(1, "one"));
    store.sessions().enqueue("d1", message(2, "two"));

    store = store.reopen();

    assertThat(store.sessions().loadAll()).containsExactly(s);
    assertThat(store.sessions().queued("d1"))
        .extracting(m -> new String(m.payload(), StandardCharsets.UTF_8))
        .containsExactly("one", "two");
  }
}
