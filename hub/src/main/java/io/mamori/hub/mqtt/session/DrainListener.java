package io.mamori.hub.mqtt.session;

/**
 * A publisher that holds back acknowledgements while a session it published to is congested
 * (publisher back-pressure, {@code PublishBackPressure}).
 */
public interface DrainListener {
  /**
   * While a message is routed (on the publisher's thread): {@code session} took it but is above its
   * high-water mark, and will call {@link #drained} once for this registration.
   */
  void congested(Session session);

  /**
   * {@code session} is down to its low-water mark, lost its connection or was discarded. Called on
   * the thread that relieved it (any thread), outside the session's lock; must not block.
   */
  void drained(Session session);
}
