package io.mamori.hub.mqtt;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/** A {@link SessionStore} in memory, shared between broker instances to simulate a restart. */
public final class InMemorySessionStore implements SessionStore {
  private final Map<String, StoredSession> sessions = new ConcurrentHashMap<>();
  private final Map<String, ConcurrentSkipListMap<Long, QueuedMessage>> queues =
      new ConcurrentHashMap<>();

  @Override
  public List<StoredSession> loadAll() {
    return List.copyOf(sessions.values());
  }

  @Override
  public void save(StoredSession session) {
    sessions.put(session.clientId(), session);
  }

  @Override
  public void delete(String clientId) {
    sessions.remove(clientId);
    queues.remove(clientId);
  }

  @Override
  public void enqueue(String clientId, QueuedMessage message) {
    queues
        .computeIfAbsent(clientId, c -> new ConcurrentSkipListMap<>())
        .put(message.sequence(), message);
  }

  @Override
  public void acknowledge(String clientId, long sequence) {
    var queue = queues.get(clientId);
    if (queue != null) {
      queue.remove(sequence);
    }
  }

  @Override
  public List<QueuedMessage> queued(String clientId) {
    var queue = queues.get(clientId);
    return queue == null ? List.of() : new ArrayList<>(queue.values());
  }

  public Map<String, StoredSession> sessions() {
    return sessions;
  }
}
