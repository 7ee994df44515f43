package io.mamori.hub.registry;

import io.mamori.hub.events.EventPublisher;
import io.mamori.hub.events.HubEvent;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps every published event for assertions. */
final class RecordingEvents implements EventPublisher {
  final List<HubEvent> published = new CopyOnWriteArrayList<>();

  @Override
  public void publish(HubEvent event) {
    published.add(event);
  }

  List<HubEvent> ofType(String type) {
    return published.stream().filter(e -> e.type().equals(type)).toList();
  }

  HubEvent last() {
    return published.get(published.size() - 1);
  }
}
