package io.mamori.hub.registry;

import io.mamori.hub.events.EventPublisher;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Creates, reads, changes and deletes things; every change is an event. */
public final class ThingService {
  private final ThingRepository things;
  private final CertificateRepository certificates;
  private final Transactor transactor;
  private final EventPublisher events;
  private final RegistryListener listener;
  private final Clock clock;

  public ThingService(
      ThingRepository things,
      CertificateRepository certificates,
      Transactor transactor,
      EventPublisher events,
      RegistryListener listener,
      Clock clock) {
    this.things = things;
    this.certificates = certificates;
    this.transactor = transactor;
    this.events = events;
    this.listener = listener;
    this.clock = clock;
  }

  public Thing create(
      String name, Map<String, String> attributes, Optional<String> thingType, String actor) {
    throw new UnsupportedOperationException("not yet written");
  }

  public Thing get(String name) {
    throw new UnsupportedOperationException("not yet written");
  }

  public List<Thing> list() {
    throw new UnsupportedOperationException("not yet written");
  }

  /** Replaces (merge=false) or merges (merge=true) attributes; an empty value removes a key. */
  public Thing updateAttributes(
      String name, Map<String, String> attributes, boolean merge, String actor) {
    throw new UnsupportedOperationException("not yet written");
  }

  /** Deletes the thing and detaches its certificates (the certificates stay registered). */
  public void delete(String name, String actor) {
    throw new UnsupportedOperationException("not yet written");
  }
}
