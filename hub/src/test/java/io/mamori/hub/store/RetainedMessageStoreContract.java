package io.mamori.hub.store;

import static io.mamori.hub.store.Records.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.mamori.hub.mqtt.RetainedMessage;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** What every {@link io.mamori.hub.mqtt.RetainedMessageStore} must do. */
abstract class RetainedMessageStoreContract extends StoreContract {
  private static RetainedMessage retained(String topic, String text, int seconds) {
    return new RetainedMessage(
        topic, text.getBytes(StandardCharsets.UTF_8), 1, T0.plusSeconds(seconds));
  }

  @Test
  void storedMessagesLoadWithEveryField() {
    var m = retained("a/b", "hello", 0);
    store.retained().put(m);

    assertThat(store.retained().loadAll()).singleElement().usingRecursiveComparison().isEqualTo(m);
  }

  @Test
  void putReplacesTheTopicsMessage() {
    store.retained().put(retained("a/b", "old", 0));
    store.retained().put(retained("a/b", "new", 1));

    assertThat(store.retained().loadAll())
        .singleElement()
        .satisfies(m -> assertThat(m.payload()).asString().isEqualTo("new"));
  }

  @Test
  void removeDeletesOnlyThatTopic() {
    store.retained().put(retained("a", "1", 0));
    store.retained().put(retained("b", "2", 0));

    store.retained().remove("a");
    store.retained().remove("never-stored");

    assertThat(store.retained().loadAll()).extracting(RetainedMessage::topic).containsExactly("b");
  }

  @Test
  void anEmptyPayloadComesBackEmptyNotNull() {
    store.retained().put(new RetainedMessage("a", new byte[0], 0, T0));

    assertThat(store.retained().loadAll())
        .singleElement()
        .satisfies(m -> assertThat(m.payload()).isEmpty());
  }

  @Test
  void retainedMessagesSurviveClosingAndReopening() {
    store.retained().put(retained("a/b", "hello", 0));

    store = store.reopen();

    assertThat(store.retained().loadAll())
        .extracting(RetainedMessage::topic)
        .containsExactly("a/b");
  }
}
