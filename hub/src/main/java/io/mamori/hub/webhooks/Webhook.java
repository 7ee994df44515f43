package io.mamori.hub.webhooks;

import java.net.URI;
import java.time.Instant;
import java.util.List;

/**
 * A receiver of hub events over HTTP(S): where to POST, which event types it wants, and the shared
 * secret its deliveries are signed with.
 *
 * @param id generated identifier
 * @param url the receiver, {@code http} or {@code https}
 * @param events event type patterns, e.g. {@code defender.*} or {@code certificate.revoked}
 * @param secret the HMAC-SHA256 key; never returned by the API nor logged
 * @param createdAt when it was created
 */
public record Webhook(String id, URI url, List<String> events, String secret, Instant createdAt) {
  public Webhook {
    events = List.copyOf(events);
  }

  /** Whether an event of {@code type} goes to this receiver. */
  public boolean wants(String type) {
    return EventPatterns.matches(events, type);
  }

  // A record's generated toString would print the secret into any log line that prints this.
  @Override
  public String toString() {
    return "Webhook[id=" + id + ", url=" + url + ", events=" + events + "]";
  }
}
