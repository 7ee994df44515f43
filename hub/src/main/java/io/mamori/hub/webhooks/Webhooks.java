package io.mamori.hub.webhooks;

import io.mamori.hub.events.EventPublisher;
import io.mamori.hub.events.HubEvent;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * What operators do with webhooks: create (validated URL, event patterns, secret), list, delete,
 * send a test, and see deliveries, dead letters included. Each change is a hub event.
 */
public final class Webhooks {
  static final int MIN_SECRET = 16;
  static final int MAX_SECRET = 512;
  static final int MAX_WEBHOOKS = 100;

  private final WebhookRepository repository;
  private final WebhookDispatcher dispatcher;
  private final EventPublisher events;
  private final Clock clock;

  public Webhooks(
      WebhookRepository repository,
      WebhookDispatcher dispatcher,
      EventPublisher events,
      Clock clock) {
    this.repository = repository;
    this.dispatcher = dispatcher;
    this.events = events;
    this.clock = clock;
  }

  /**
   * @throws IllegalArgumentException naming what is wrong with the URL, patterns or secret
   */
  public Webhook create(String url, String eventPatterns, String secret, String actor) {
    URI uri = parseUrl(url);
    List<String> patterns = EventPatterns.parse(eventPatterns);
    if (secret == null || secret.length() < MIN_SECRET || secret.length() > MAX_SECRET) {
      throw new IllegalArgumentException(
          "the secret must be " + MIN_SECRET + " to " + MAX_SECRET + " characters");
    }
    if (repository.list().size() >= MAX_WEBHOOKS) {
      throw new IllegalArgumentException("at most " + MAX_WEBHOOKS + " webhooks");
    }
    Instant now = clock.instant();
    Webhook webhook = new Webhook(UUID.randomUUID().toString(), uri, patterns, secret, now);
    repository.insert(webhook);
    dispatcher.added(webhook);
    events.publish(
        HubEvent.success("webhook.created", now, actor, webhook.id())
            .with("url", redacted(uri))
            .with("events", String.join(",", patterns)));
    return webhook;
  }

  public List<Webhook> list() {
    return repository.list();
  }

  public Optional<Webhook> find(String id) {
    return repository.find(id);
  }

  public boolean delete(String id, String actor) {
    boolean deleted = repository.delete(id);
    if (deleted) {
      dispatcher.removed(id);
      events.publish(HubEvent.success("webhook.deleted", clock.instant(), actor, id));
    }
    return deleted;
  }

  /** Queues a signed {@code webhook.test} delivery; empty when there is no such webhook. */
  public Optional<Delivery> test(String id, String actor) {
    return repository.find(id).map(w -> dispatcher.test(w, actor));
  }

  public List<Delivery> deliveries(Optional<DeliveryStatus> status, int limit) {
    return repository.list(status, limit);
  }

  /** The URL without user info or query, which may carry credentials of the receiver. */
  public static String redacted(URI url) {
    return url.getScheme()
        + "://"
        + url.getHost()
        + (url.getPort() < 0 ? "" : ":" + url.getPort())
        + Optional.ofNullable(url.getPath()).orElse("");
  }

  private static URI parseUrl(String url) {
    URI uri;
    try {
      uri = new URI(url == null ? "" : url.strip());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("not a URL: " + e.getMessage());
    }
    String scheme = Optional.ofNullable(uri.getScheme()).orElse("").toLowerCase(Locale.ROOT);
    if (!scheme.equals("https") && !scheme.equals("http")) {
      throw new IllegalArgumentException("the webhook URL must be http:// or https://");
    }
    if (uri.getHost() == null || uri.getHost().isEmpty()) {
      throw new IllegalArgumentException("the webhook URL must name a host");
    }
    if (uri.getFragment() != null) {
      throw new IllegalArgumentException("the webhook URL must not have a #fragment");
    }
    return uri;
  }
}
