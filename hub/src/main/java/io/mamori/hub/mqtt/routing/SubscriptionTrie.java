package io.mamori.hub.mqtt.routing;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Topic-filter index answering "who subscribed to something matching this topic": one node per
 * filter level. Lookups are lock-free and run concurrently on every event loop; changes are
 * serialized by a lock because they are rare compared with lookups.
 *
 * @param <S> the subscriber (a session)
 */
public final class SubscriptionTrie<S> {
  private final Node<S> root = new Node<>(null, null);

  private static final class Node<S> {
    final Node<S> parent;
    final String level;
    final Map<String, Node<S>> children = new ConcurrentHashMap<>();
    final Map<S, Integer> subscribers = new ConcurrentHashMap<>();

    Node(Node<S> parent, String level) {
      this.parent = parent;
      this.level = level;
    }

    boolean isEmpty() {
      return children.isEmpty() && subscribers.isEmpty();
    }
  }

  /** Adds or replaces the subscriber's QoS on the filter. */
  public synchronized void add(String filter, S subscriber, int qos) {
    Node<S> node = root;
    for (String level : filter.split("/", -1)) {
      Node<S> parent = node;
      node = parent.children.computeIfAbsent(level, l -> new Node<>(parent, l));
    }
    node.subscribers.put(subscriber, qos);
  }

  /** Removes the subscriber from the filter; returns whether it was subscribed. */
  public synchronized boolean remove(String filter, S subscriber) {
    Node<S> node = root;
    for (String level : filter.split("/", -1)) {
      node = node.children.get(level);
      if (node == null) {
        return false;
      }
    }
    boolean removed = node.subscribers.remove(subscriber) != null;
    // Prune empty branches so that short-lived filters (random client ids in topics) do not leak.
    while (node.parent != null && node.isEmpty()) {
      node.parent.children.remove(node.level, node);
      node = node.parent;
    }
    return removed;
  }

  /**
   * Every subscriber with a filter matching the topic, each once with the highest QoS of its
   * matching filters (MQTT 5 §3.3.4 allows delivering overlapping subscriptions once).
   */
  public Map<S, Integer> match(String topic) {
    String[] levels = topic.split("/", -1);
    Map<S, Integer> result = new HashMap<>();
    collect(root, levels, 0, Topics.isReserved(topic), result);
    return result;
  }

  private void collect(
      Node<S> node, String[] levels, int depth, boolean reserved, Map<S, Integer> out) {
    if (depth == levels.length) {
      addAll(node, out);
      // AWS §7.1: "sensor/#" does not match the parent "sensor" (MQTT §4.7.1.2 would); devices
      // written for AWS rely on that, so the "#" child is deliberately not consulted here.
      return;
    }
    // MQTT 3.1.1 §4.7.2: filters starting with a wildcard never match topics starting with '$'.
    boolean wildcardsAllowed = !(reserved && depth == 0);
    if (wildcardsAllowed) {
      Node<S> multi = node.children.get("#");
      if (multi != null) {
        addAll(multi, out);
      }
      Node<S> single = node.children.get("+");
      if (single != null) {
        collect(single, levels, depth + 1, reserved, out);
      }
    }
    Node<S> exact = node.children.get(levels[depth]);
    if (exact != null) {
      collect(exact, levels, depth + 1, reserved, out);
    }
  }

  private static <S> void addAll(Node<S> node, Map<S, Integer> out) {
    node.subscribers.forEach((s, qos) -> out.merge(s, qos, Math::max));
  }
}
