package io.mamori.hub.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import io.mamori.hub.config.BrokerLimits;
import io.mamori.hub.config.PublishBackPressure;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Publisher back-pressure seen from real MQTT 5 clients (HiveMQ MQTT client): a publisher's PUBACKs
 * wait while a slow subscriber's queue is above the high-water mark and go out when it drains.
 */
class BackPressureIT {
  private static final String TOPIC = "sensors/fan-in";
  private final BrokerFixture fixture = new BrokerFixture();
  private final List<Mqtt5AsyncClient> clients = new ArrayList<>();

  @AfterEach
  void stop() {
    clients.forEach(c -> c.disconnect().exceptionally(e -> null).join());
    fixture.close();
  }

  private void start(int highWater, int lowWater, Duration maxAckDelay) {
    fixture.limits =
        BrokerLimits.defaults()
            .withMaxPublishesPerSecond(0)
            .withPublishBackPressure(new PublishBackPressure(highWater, lowWater, maxAckDelay));
    fixture.start();
  }

  /** A connected client taking at most {@code receiveMaximum} unacknowledged QoS 1 messages. */
  private Mqtt5AsyncClient connect(String clientId, int receiveMaximum) {
    Mqtt5AsyncClient client = fixture.builder5(clientId, clientId).buildAsync();
    client
        .connectWith()
        .restrictions()
        .receiveMaximum(receiveMaximum)
        .applyRestrictions()
        .send()
        .join();
    clients.add(client);
    return client;
  }

  /** Subscribes with manual acknowledgement: the test decides when each PUBACK goes out. */
  private List<Mqtt5Publish> subscribeUnacknowledged(Mqtt5AsyncClient client) {
    List<Mqtt5Publish> received = new CopyOnWriteArrayList<>();
    client
        .subscribeWith()
        .topicFilter(TOPIC)
        .qos(MqttQos.AT_LEAST_ONCE)
        .callback(received::add)
        .manualAcknowledgement(true)
        .send()
        .join();
    return received;
  }

  private List<String> subscribe(Mqtt5AsyncClient client, String filter) {
    List<String> received = new CopyOnWriteArrayList<>();
    client
        .subscribeWith()
        .topicFilter(filter)
        .qos(MqttQos.AT_LEAST_ONCE)
        .callback(p -> received.add(text(p)))
        .send()
        .join();
    return received;
  }

  private static List<CompletableFuture<Mqtt5PublishResult>> publish(
      Mqtt5AsyncClient publisher, String topic, int count) {
    List<CompletableFuture<Mqtt5PublishResult>> acks = new ArrayList<>();
    for (int i = 1; i <= count; i++) {
      acks.add(
          publisher
              .publishWith()
              .topic(topic)
              .qos(MqttQos.AT_LEAST_ONCE)
              .payload(String.valueOf(i).getBytes(StandardCharsets.UTF_8))
              .send());
    }
    return acks;
  }

  private static String text(Mqtt5Publish publish) {
    return new String(publish.getPayloadAsBytes(), StandardCharsets.UTF_8);
  }

  private static long acknowledged(List<CompletableFuture<Mqtt5PublishResult>> acks) {
    return acks.stream().filter(CompletableFuture::isDone).count();
  }

  @Test
  void aPublishersPubAcksWaitWhileASlowSubscribersQueueIsFullAndGoOutWhenItDrains() {
    start(4, 1, Duration.ofMinutes(1));
    var slow = connect("slow-subscriber", 1);
    List<Mqtt5Publish> slowReceived = subscribeUnacknowledged(slow);
    // A fast subscriber of the same topic shows when the hub has routed every message.
    List<String> fastReceived = subscribe(connect("fast-subscriber", 100), TOPIC);
    var publisher = connect("publisher", 100);

    var acks = publish(publisher, TOPIC, 12);

    await().atMost(Duration.ofSeconds(20)).until(() -> fastReceived.size() == 12);
    // The slow subscriber holds message 1 in flight; 2..5 fill its queue to the high-water mark
    // of 4, so the PUBACKs from message 5 on are held back.
    await().atMost(Duration.ofSeconds(20)).until(() -> acknowledged(acks) >= 4);
    assertThat(slowReceived).extracting(BackPressureIT::text).containsExactly("1");
    assertThat(acks.subList(0, 4)).allMatch(CompletableFuture::isDone);
    assertThat(acks.subList(4, 12)).noneMatch(CompletableFuture::isDone);

    // The slow subscriber catches up one message at a time; at 1 queued the hub releases them.
    for (int next = 0; next < 12; next++) {
      int index = next;
      await().atMost(Duration.ofSeconds(20)).until(() -> slowReceived.size() > index);
      slowReceived.get(index).acknowledge();
    }
    await().atMost(Duration.ofSeconds(20)).until(() -> acknowledged(acks) == 12);
    assertThat(acks).allMatch(a -> a.join().getError().isEmpty());
    assertThat(slowReceived)
        .extracting(BackPressureIT::text)
        .containsExactly("1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12");
  }

  @Test
  void aClientPublishingToItselfIsSlowedButNeverDeadlocks() {
    // A minute-long hold would show up as a stall: the client's own PUBACKs for its deliveries
    // must keep being read while its publishes wait for its queue to drain.
    start(4, 1, Duration.ofMinutes(1));
    var self = connect("loopback", 1);
    List<String> received = subscribe(self, "loopback/#");

    var acks = publish(self, "loopback/echo", 300);

    await().atMost(Duration.ofSeconds(30)).until(() -> received.size() == 300);
    CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new))
        .orTimeout(30, TimeUnit.SECONDS)
        .join();
    assertThat(received).doesNotHaveDuplicates().hasSize(300);
  }

  @Test
  void aStuckSubscriberDelaysPubAcksOnlyUpToTheMaximumDelay() {
    start(2, 0, Duration.ofMillis(500));
    var stuck = connect("stuck-subscriber", 1);
    List<Mqtt5Publish> never = subscribeUnacknowledged(stuck);
    var publisher = connect("publisher", 100);

    var acks = publish(publisher, TOPIC, 6);

    await().atMost(Duration.ofSeconds(20)).until(() -> acknowledged(acks) == 6);
    assertThat(never).hasSize(1); // still stuck on its first message
  }

  @Test
  void heldBackPubAcksGoOutWhenTheSlowSubscriberDisconnects() {
    start(2, 0, Duration.ofMinutes(1));
    var slow = connect("slow-subscriber", 1);
    List<Mqtt5Publish> slowReceived = subscribeUnacknowledged(slow);
    List<String> fastReceived = subscribe(connect("fast-subscriber", 100), TOPIC);
    var publisher = connect("publisher", 100);
    var acks = publish(publisher, TOPIC, 6);
    await().atMost(Duration.ofSeconds(20)).until(() -> fastReceived.size() == 6);
    assertThat(acknowledged(acks)).isLessThan(6);

    slow.disconnect().join();
    clients.remove(slow);

    await().atMost(Duration.ofSeconds(20)).until(() -> acknowledged(acks) == 6);
    assertThat(slowReceived).hasSize(1);
  }
}
