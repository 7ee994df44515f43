package io.mamori.hub.events;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * In-process fan-out of {@link HubEvent}s to subscribers (structured log now; the audit log,
 * defender and webhooks later). Subscribers run on the publishing thread and must hand slow work to
 * their own executor; one failing subscriber never stops the others.
 */
public final class EventBus implements EventPublisher {
  private static final Logger log = LoggerFactory.getLogger(EventBus.class);
  private final List<Consumer<HubEvent>> subscribers = new CopyOnWriteArrayList<>();

  public void subscribe(Consumer<HubEvent> subscriber) {
    subscribers.add(subscriber);
  }

  @Override
  public void publish(HubEvent event) {
    for (var subscriber : subscribers) {
      try {
        subscriber.accept(event);
      } catch (RuntimeException e) {
        log.warn("event subscriber failed type={} reason={}", event.type(), e.toString());
      }
    }
  }
}
