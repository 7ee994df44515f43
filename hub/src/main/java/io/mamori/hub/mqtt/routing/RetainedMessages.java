package io.mamori.hub.mqtt.routing;

import io.mamori.hub.mqtt.RetainedMessage;
import io.mamori.hub.mqtt.persistence.StoreWriter;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The retained message of each topic, held in memory and written through to the store. Bounded:
 * once {@code maxMessages} topics hold one, new topics are not retained (existing ones may still be
 * replaced or deleted).
 */
public final class RetainedMessages {
  private final Map<String, RetainedMessage> byTopic = new ConcurrentHashMap<>();
  private final StoreWriter writer;
  private final int maxMessages;

  public RetainedMessages(StoreWriter writer, int maxMessages) {
    this.writer = writer;
    this.maxMessages = maxMessages;
  }

  /** Loads stored messages at start, without writing them back. */
  public void restore(Collection<RetainedMessage> stored) {
    stored.forEach(m -> byTopic.put(m.topic(), m));
  }

  /**
   * Stores or replaces the topic's message; returns false when the limit refused a new topic. MQTT
   * 3.1.1 §3.3.1.3: a zero-byte retained payload deletes instead.
   */
  public boolean retain(RetainedMessage message) {
    if (message.payload().length == 0) {
      if (byTopic.remove(message.topic()) != null) {
        writer.removeRetained(message.topic());
      }
      return true;
    }
    if (!byTopic.containsKey(message.topic()) && byTopic.size() >= maxMessages) {
      return false;
    }
    byTopic.put(message.topic(), message);
    writer.putRetained(message);
    return true;
  }

  public Optional<RetainedMessage> get(String topic) {
    return Optional.ofNullable(byTopic.get(topic));
  }

  public int size() {
    return byTopic.size();
  }
}
