package io.mamori.hub.jobs;

/** Publishes {@code notify} / {@code notify-next} events into the broker (ordinary topics). */
@FunctionalInterface
public interface JobNotifier {
  void publish(String topic, byte[] payload);
}
