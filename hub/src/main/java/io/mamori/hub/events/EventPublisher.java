package io.mamori.hub.events;

/** Where domain code reports events; it never waits for the subscribers' work. */
@FunctionalInterface
public interface EventPublisher {
  void publish(HubEvent event);
}
