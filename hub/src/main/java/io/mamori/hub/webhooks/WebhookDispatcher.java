package io.mamori.hub.webhooks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mamori.hub.events.HubEvent;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes hub events off the bus and delivers them to webhooks on its own thread: the bus thread
 * (often a Netty event loop) only matches the type and offers the event to a bounded queue. The
 * thread writes each matching event to the outbox, then sends what is due, signed, and reschedules
 * failures with backoff until they are delivered or dead-lettered. The outbox is in the database,
 * so a restart loses nothing that was queued.
 */
public final class WebhookDispatcher implements Consumer<HubEvent>, AutoCloseable {
  /** Events the bus may hand over faster than the outbox takes them; beyond this they drop. */
  public static final int QUEUE_CAPACITY = 10_000;

  static final int BATCH = 32;
  // The outbox keeps a week of delivered and a month of dead letters, then forgets them.
  static final Duration KEEP_DELIVERED = Duration.ofDays(7);
  static final Duration KEEP_DEAD = Duration.ofDays(30);
  private static final Duration PRUNE_EVERY = Duration.ofHours(1);
  private static final Duration IDLE_WAIT = Duration.ofSeconds(1);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
  private static final int MAX_ERROR = 300;
  private static final Logger log = LoggerFactory.getLogger(WebhookDispatcher.class);

  private final WebhookRepository repository;
  private final RetryPolicy retry;
  private final Clock clock;
  private final ObjectMapper json = new ObjectMapper();
  private final BlockingQueue<HubEvent> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
  private final List<Webhook> webhooks = new CopyOnWriteArrayList<>();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong deadLettered = new AtomicLong();
  private final HttpClient http;
  private final Thread thread;
  private volatile boolean running = true;
  private Instant lastPrune = Instant.MIN; // only the dispatcher thread reads and writes it

  // Offered to wake the loop; an interrupt could abort a send in progress instead.
  private static final HubEvent WAKE = HubEvent.success("webhook.wake", Instant.EPOCH, "", "");

  public WebhookDispatcher(WebhookRepository repository, RetryPolicy retry, Clock clock) {
    this.repository = repository;
    this.retry = retry;
    this.clock = clock;
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(REQUEST_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    this.thread = new Thread(this::run, "mamori-webhooks");
    this.thread.setDaemon(true);
  }

  /** Loads the webhooks, makes deliveries left pending by the last run due now, and starts. */
  public WebhookDispatcher start() {
    webhooks.addAll(repository.list());
    int pending = repository.makePendingDue(clock.instant());
    if (pending > 0) {
      log.info("webhook deliveries resumed pending={}", pending);
    }
    thread.start();
    return this;
  }

  /** Runs on the publishing thread: match and offer, never block. */
  @Override
  public void accept(HubEvent event) {
    if (event.type().startsWith("webhook.")) {
      // Our own events (e.g. a dead letter) never go out again: a dead receiver would loop.
      return;
    }
    for (Webhook webhook : webhooks) {
      if (webhook.wants(event.type())) {
        if (!queue.offer(event)) {
          dropped.incrementAndGet();
        }
        return;
      }
    }
  }

  /** Events dropped because the queue was full. */
  public long droppedTotal() {
    return dropped.get();
  }

  /** Deliveries given up on since start. */
  public long deadLetteredTotal() {
    return deadLettered.get();
  }

  void added(Webhook webhook) {
    webhooks.add(webhook);
  }

  void removed(String id) {
    webhooks.removeIf(w -> w.id().equals(id));
  }

  /** Queues a {@code webhook.test} delivery to one webhook, now. */
  Delivery test(Webhook webhook, String actor) {
    Instant now = clock.instant();
    HubEvent event =
        HubEvent.success("webhook.test", now, actor, webhook.id())
            .with("message", "test delivery from the Mamori hub");
    Delivery delivery = delivery(webhook, event, now);
    repository.enqueue(List.of(delivery));
    queue.offer(WAKE); // so the test goes out at once, not after the idle wait
    return delivery;
  }

  private void run() {
    while (running) {
      try {
        HubEvent first = queue.poll(waitMillis(), TimeUnit.MILLISECONDS);
        if (!running) {
          return;
        }
        if (first != null) {
          List<HubEvent> batch = new ArrayList<>();
          batch.add(first);
          queue.drainTo(batch, 511);
          batch.removeIf(e -> e == WAKE);
          store(batch);
        }
        sendDue();
        pruneHourly();
      } catch (InterruptedException e) {
        // Woken by test() or close(); loop around and look again.
      } catch (RuntimeException e) {
        // The database may be closing, or a bug: keep the thread, try again on the next round.
        log.warn("webhook dispatcher round failed reason={}", e.toString(), e);
        pause();
      }
    }
  }

  private void pruneHourly() {
    Instant now = clock.instant();
    if (lastPrune.isAfter(now.minus(PRUNE_EVERY))) {
      return;
    }
    lastPrune = now;
    int pruned = repository.prune(now.minus(KEEP_DELIVERED), now.minus(KEEP_DEAD));
    if (pruned > 0) {
      log.info("webhook outbox pruned deliveries={}", pruned);
    }
  }

  private long waitMillis() {
    Instant now = clock.instant();
    long idle = IDLE_WAIT.toMillis();
    return repository
        .nextDue()
        .map(due -> Math.max(0, Math.min(idle, Duration.between(now, due).toMillis())))
        .orElse(idle);
  }

  private void store(List<HubEvent> events) {
    Instant now = clock.instant();
    List<Delivery> deliveries = new ArrayList<>();
    for (HubEvent event : events) {
      for (Webhook webhook : webhooks) {
        if (webhook.wants(event.type())) {
          deliveries.add(delivery(webhook, event, now));
        }
      }
    }
    if (!deliveries.isEmpty()) {
      repository.enqueue(deliveries);
    }
  }

  private Delivery delivery(Webhook webhook, HubEvent event, Instant now) {
    String id = UUID.randomUUID().toString();
    return Delivery.pending(id, webhook.id(), event.type(), body(id, event), now);
  }

  private String body(String deliveryId, HubEvent event) {
    ObjectNode body =
        json.createObjectNode()
            .put("deliveryId", deliveryId)
            .put("type", event.type())
            .put("at", event.at().toString())
            .put("actor", event.actor())
            .put("subject", event.subject())
            .put("outcome", event.outcome())
            .put("reason", event.reason());
    ObjectNode details = body.putObject("details");
    event.details().entrySet().stream()
        .sorted(java.util.Map.Entry.comparingByKey())
        .forEach(e -> details.put(e.getKey(), e.getValue()));
    return body.toString();
  }

  private void sendDue() {
    List<Delivery> due = repository.due(clock.instant(), BATCH);
    for (Delivery delivery : due) {
      if (!running) {
        return;
      }
      Optional<Webhook> webhook =
          webhooks.stream().filter(w -> w.id().equals(delivery.webhookId())).findFirst();
      if (webhook.isEmpty()) {
        continue; // deleted meanwhile; its outbox went with it
      }
      Optional<String> failure = attempt(webhook.get(), delivery);
      repository.update(outcome(delivery, failure));
    }
  }

  private Optional<String> attempt(Webhook webhook, Delivery delivery) {
    byte[] body = delivery.body().getBytes(StandardCharsets.UTF_8);
    long timestamp = clock.instant().getEpochSecond();
    HttpRequest request =
        HttpRequest.newBuilder(webhook.url())
            .timeout(REQUEST_TIMEOUT)
            .header("Content-Type", "application/json")
            .header("User-Agent", "mamori-webhooks/1")
            .header(WebhookSignature.TIMESTAMP_HEADER, Long.toString(timestamp))
            .header(
                WebhookSignature.SIGNATURE_HEADER,
                WebhookSignature.sign(webhook.secret(), timestamp, body))
            .header(WebhookSignature.EVENT_HEADER, delivery.eventType())
            .header(WebhookSignature.DELIVERY_HEADER, delivery.id())
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
    try {
      HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
      int status = response.statusCode();
      return status >= 200 && status < 300
          ? Optional.empty()
          : Optional.of("receiver answered HTTP " + status);
    } catch (java.io.IOException e) {
      return Optional.of(truncate(e.getClass().getSimpleName() + ": " + e.getMessage()));
    } catch (InterruptedException e) {
      if (running) {
        return Optional.of("interrupted");
      }
      Thread.currentThread().interrupt();
      return Optional.of("hub stopping");
    }
  }

  private Delivery outcome(Delivery d, Optional<String> failure) {
    Instant now = clock.instant();
    int attempts = d.attempts() + 1;
    if (failure.isEmpty()) {
      log.debug(
          "webhook delivered webhook={} delivery={} attempts={}", d.webhookId(), d.id(), attempts);
      return new Delivery(
          d.id(),
          d.webhookId(),
          d.eventType(),
          d.body(),
          DeliveryStatus.DELIVERED,
          attempts,
          d.nextAttemptAt(),
          "",
          d.createdAt(),
          Optional.of(now));
    }
    String error = failure.get();
    if (retry.exhausted(attempts)) {
      deadLettered.incrementAndGet();
      log.warn(
          "webhook delivery dead-lettered webhook={} delivery={} attempts={} reason={}",
          d.webhookId(),
          d.id(),
          attempts,
          error);
      return new Delivery(
          d.id(),
          d.webhookId(),
          d.eventType(),
          d.body(),
          DeliveryStatus.DEAD,
          attempts,
          d.nextAttemptAt(),
          error,
          d.createdAt(),
          Optional.of(now));
    }
    Duration wait = retry.delayAfter(attempts, ThreadLocalRandom.current()::nextDouble);
    log.info(
        "webhook delivery failed webhook={} delivery={} attempts={} retryInMillis={} reason={}",
        d.webhookId(),
        d.id(),
        attempts,
        wait.toMillis(),
        error);
    return new Delivery(
        d.id(),
        d.webhookId(),
        d.eventType(),
        d.body(),
        DeliveryStatus.PENDING,
        attempts,
        now.plus(wait),
        error,
        d.createdAt(),
        Optional.empty());
  }

  private static String truncate(String s) {
    return s.length() <= MAX_ERROR ? s : s.substring(0, MAX_ERROR);
  }

  private void pause() {
    try {
      Thread.sleep(IDLE_WAIT.toMillis()); // back off after an unexpected failure, not a test wait
    } catch (InterruptedException e) {
      // woken: go on
    }
  }

  /** Stops the thread; what is queued in memory but not yet in the outbox is written first. */
  @Override
  public void close() {
    running = false;
    thread.interrupt();
    try {
      thread.join(TimeUnit.SECONDS.toMillis(REQUEST_TIMEOUT.toSeconds() + 1));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    List<HubEvent> rest = new ArrayList<>();
    queue.drainTo(rest);
    rest.removeIf(e -> e == WAKE);
    if (!rest.isEmpty()) {
      try {
        store(rest);
      } catch (RuntimeException e) {
        log.warn("webhook events lost at stop count={} reason={}", rest.size(), e.toString());
      }
    }
  }
}
