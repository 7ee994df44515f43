package io.mamori.hub.mqtt;

import java.util.List;

/**
 * Durable retained messages. The broker keeps them in memory and writes through to this store off
 * the event loop; on start it loads them all.
 */
public interface RetainedMessageStore {
  /** Stores or replaces the topic's retained message. */
  void put(RetainedMessage message);

  void remove(String topic);

  List<RetainedMessage> loadAll();
}
