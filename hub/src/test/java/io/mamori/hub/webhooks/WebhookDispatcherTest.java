package io.mamori.hub.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.mamori.hub.events.HubEvent;
import io.mamori.hub.store.SqliteDatabase;
import io.mamori.hub.store.SqliteWebhookRepository;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dispatcher against a real HTTP server and a real SQLite outbox, with a fast retry policy so
 * the dead-letter path runs in moments.
 */
class WebhookDispatcherTest {
  @TempDir Path dir;
  private SqliteDatabase database;
  private HttpServer server;
  private final AtomicInteger requests = new AtomicInteger();
  private volatile int status = 500;

  @BeforeEach
  void start() throws Exception {
    database = SqliteDatabase.open(dir.resolve("hub.db"));
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          exchange.getRequestBody().readAllBytes();
          requests.incrementAndGet();
          exchange.sendResponseHeaders(status, -1);
          exchange.close();
        });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
    database.close();
  }

  private String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/in";
  }

  @Test
  void aDeliveryThatKeepsFailingIsDeadLetteredAfterMaxAttempts() {
    var repository = new SqliteWebhookRepository(database);
    var policy = new RetryPolicy(3, Duration.ofMillis(20), Duration.ofMillis(100));
    try (var dispatcher = new WebhookDispatcher(repository, policy, Clock.systemUTC()).start()) {
      var webhooks = new Webhooks(repository, dispatcher, e -> {}, Clock.systemUTC());
      webhooks.create(url(), "defender.*", "0123456789abcdef", "admin");

      dispatcher.accept(HubEvent.success("defender.alarm.active", Instant.now(), "d", "cam-1"));
      dispatcher.accept(HubEvent.success("mqtt.connect", Instant.now(), "d", "cam-1"));

      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> !webhooks.deliveries(Optional.of(DeliveryStatus.DEAD), 10).isEmpty());
      Delivery dead = webhooks.deliveries(Optional.of(DeliveryStatus.DEAD), 10).get(0);
      assertThat(dead.attempts()).isEqualTo(3);
      assertThat(dead.lastError()).isEqualTo("receiver answered HTTP 500");
      assertThat(dead.eventType()).isEqualTo("defender.alarm.active");
      assertThat(requests.get()).isEqualTo(3);
      assertThat(dispatcher.deadLetteredTotal()).isEqualTo(1);
      // The unmatched event never reached the outbox.
      assertThat(webhooks.deliveries(Optional.empty(), 10)).hasSize(1);
    }
  }

  @Test
  void aReceiverThatIsDownIsRetriedAndTheFailureIsRecorded() {
    var repository = new SqliteWebhookRepository(database);
    var policy = new RetryPolicy(50, Duration.ofMillis(20), Duration.ofMillis(50));
    server.stop(0); // nothing listens on that port any more: connection refused
    try (var dispatcher = new WebhookDispatcher(repository, policy, Clock.systemUTC()).start()) {
      var webhooks = new Webhooks(repository, dispatcher, e -> {}, Clock.systemUTC());
      webhooks.create(url(), "*", "0123456789abcdef", "admin");
      dispatcher.accept(HubEvent.success("certificate.revoked", Instant.now(), "admin", "c1"));
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () -> {
                List<Delivery> all = webhooks.deliveries(Optional.empty(), 10);
                return !all.isEmpty() && all.get(0).attempts() >= 2;
              });
      Delivery pending = webhooks.deliveries(Optional.empty(), 10).get(0);
      assertThat(pending.status()).isEqualTo(DeliveryStatus.PENDING);
      assertThat(pending.lastError()).contains("ConnectException");
    }
  }

  @Test
  void backoffGrowsExponentiallyWithJitterAndIsCapped() {
    var policy = new RetryPolicy(8, Duration.ofSeconds(1), Duration.ofSeconds(30));
    assertThat(policy.delayAfter(1, () -> 0.0)).isEqualTo(Duration.ofMillis(500));
    assertThat(policy.delayAfter(1, () -> 0.999))
        .isBetween(Duration.ofMillis(990), Duration.ofSeconds(1));
    assertThat(policy.delayAfter(3, () -> 0.0)).isEqualTo(Duration.ofSeconds(2));
    assertThat(policy.delayAfter(20, () -> 0.0)).isEqualTo(Duration.ofSeconds(15));
    assertThat(policy.delayAfter(60, () -> 0.999)).isLessThanOrEqualTo(Duration.ofSeconds(30));
    assertThat(policy.exhausted(7)).isFalse();
    assertThat(policy.exhausted(8)).isTrue();
  }

  @Test
  void eventPatternsMatchExactTypesPrefixesAndEverything() {
    assertThat(EventPatterns.parse("defender.*, certificate.revoked"))
        .containsExactly("defender.*", "certificate.revoked");
    var webhook =
        new Webhook(
            "id",
            java.net.URI.create("http://x"),
            List.of("defender.*", "certificate.revoked"),
            "s",
            Instant.EPOCH);
    assertThat(webhook.wants("defender.alarm.active")).isTrue();
    assertThat(webhook.wants("certificate.revoked")).isTrue();
    assertThat(webhook.wants("certificate.revoked-again")).isFalse();
    assertThat(webhook.wants("defenderx.alarm")).isFalse();
    assertThat(webhook.toString()).doesNotContain("secret").doesNotContain("=s,");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> EventPatterns.parse("defender.**"))
        .hasMessageContaining("not an event pattern");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> EventPatterns.parse(" , "))
        .hasMessageContaining("at least one");
  }
}
