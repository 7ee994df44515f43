package io.mamori.hub.mqtt;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A {@link RetainedMessageStore} in memory. */
public final class InMemoryRetainedStore implements RetainedMessageStore {
  private final Map<String, RetainedMessage> messages = new ConcurrentHashMap<>();

  @Override
  public void put(RetainedMessage message) {
    messages.put(message.topic(), message);
  }

  @Override
  public void remove(String topic) {
    messages.remove(topic);
  }

  @Override
  public List<RetainedMessage> loadAll() {
    return List.copyOf(messages.values());
  }

  public Map<String, RetainedMessage> messages() {
    return messages;
  }
}
