package io.mamori.hub.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import io.mamori.hub.config.BrokerLimits;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * Misbehaving clients over real TLS sockets while a well-behaved device keeps publishing QoS 1 to
 * itself: each attack ends or refuses only the offender, the device's messages all arrive, and its
 * round-trip latency during the attack is printed (measured, not asserted).
 */
class HostileClientsIT {
  private static final int MAX_PACKET = 4096;
  private static final int PUBLISHES_PER_SECOND = 50;
  private static final int FILTERS_PER_SUBSCRIBE = 8;
  private static final int SUBSCRIPTIONS_PER_CLIENT = 50;
  private static final int CONNECTS_PER_SECOND = 5;

  private BrokerFixture hub;
  private GoodDevice good;

  @BeforeEach
  void start(TestInfo test) {
    hub = new BrokerFixture();
    hub.limits =
        TestLimits.withMaxSubscriptions(SUBSCRIPTIONS_PER_CLIENT)
            .withConnectTimeout(Duration.ofSeconds(2))
            .withMaxFiltersPerSubscribe(FILTERS_PER_SUBSCRIBE)
            .withMaxPublishesPerSecond(PUBLISHES_PER_SECOND);
    hub.limits = withMaxPacketSize(hub.limits, MAX_PACKET);
    if (test.getTestMethod().orElseThrow().getName().startsWith("connectFlood")) {
      // Off by default (NAT); every client in these tests shares 127.0.0.1, the device included.
      hub.limits = hub.limits.withMaxConnectsPerSecondPerSource(CONNECTS_PER_SECOND);
    }
    hub.start();
    good = new GoodDevice(hub.client5("good-device", "good"));
  }

  @AfterEach
  void stop(TestInfo test) throws Exception {
    good.stopAndCheck(test.getDisplayName());
    hub.close();
  }

  @Test
  void oversizedPublishClosesOnlyThatConnection() throws Exception {
    try (var attacker = raw("attacker")) {
      attacker.send(RawClient.connect5("big"));
      attacker.readPacket();
      attacker.send(RawClient.publish(5, "a/b", 1, new byte[MAX_PACKET * 4]));
      byte[] disconnect = attacker.readPacket();
      // MQTT 5 §3.14.2.1: DISCONNECT 0x95 Packet too large.
      assertThat(disconnect[0]).isEqualTo((byte) 0xE0);
      assertThat(disconnect[2]).isEqualTo((byte) 0x95);
      assertThat(attacker.closedByServer()).isTrue();
    }
    try (var attacker = raw("attacker")) {
      attacker.send(RawClient.connect311("big-3", true));
      attacker.readPacket();
      attacker.send(RawClient.publish(4, "a/b", 1, new byte[MAX_PACKET * 4]));
      assertThat(attacker.closedByServer()).isTrue();
    }
  }

  @Test
  void garbageAfterTlsClosesOnlyThatConnection() throws Exception {
    var random = new Random(8);
    for (int i = 0; i < 20; i++) {
      byte[] garbage = new byte[1 + random.nextInt(2000)];
      random.nextBytes(garbage);
      // Packet type 0 is reserved (MQTT §2.1.2), so the first packet is never valid.
      garbage[0] = 0x00;
      try (var attacker = raw("attacker")) {
        attacker.send(garbage);
        assertThat(attacker.closedByServer()).as("garbage #%d", i).isTrue();
      }
    }
    // Garbage after a valid CONNECT also ends that connection.
    try (var attacker = raw("attacker")) {
      attacker.send(RawClient.connect5("garbage"));
      attacker.readPacket();
      // PUBLISH with QoS 3, which MQTT §3.3.1.2 forbids: malformed.
      attacker.send(new byte[] {0x36, 0x05, 0, 1, 'a', 0, 1});
      assertThat(attacker.closedByServer()).isTrue();
    }
  }

  @Test
  void clientsThatNeverFinishTlsOrNeverConnectAreClosedAfterTheConnectTimeout() throws Exception {
    List<Socket> silentTcp = new ArrayList<>();
    List<RawClient> silentTls = new ArrayList<>();
    try {
      long start = System.nanoTime();
      for (int i = 0; i < 20; i++) {
        // Slowloris at the TLS layer: TCP open, no ClientHello.
        silentTcp.add(new Socket("localhost", hub.broker.port()));
        // And after the handshake: TLS up, no CONNECT.
        silentTls.add(raw("slow"));
      }
      for (Socket socket : silentTcp) {
        assertThat(closedByServer(socket, Duration.ofSeconds(10))).isTrue();
      }
      for (RawClient client : silentTls) {
        assertThat(client.closedByServer()).isTrue();
      }
      System.out.printf(
          "slowloris: 40 silent connections closed within %d ms (connect timeout 2 s)%n",
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
    } finally {
      for (Socket socket : silentTcp) {
        socket.close();
      }
      for (RawClient client : silentTls) {
        client.close();
      }
    }
  }

  @Test
  void subscribeStormIsBoundedPerPacketAndPerClient() throws Exception {
    try (var attacker = raw("attacker")) {
      attacker.send(RawClient.connect5("storm"));
      attacker.readPacket();
      // One SUBSCRIBE with 250 filters: the first 8 are granted, the rest get 0x97.
      List<Integer> codes = subAckCodes(attacker, filters("storm/a/", 250), 1);
      assertThat(codes).hasSize(250);
      assertThat(codes.subList(0, FILTERS_PER_SUBSCRIBE)).containsOnly(1);
      assertThat(codes.subList(FILTERS_PER_SUBSCRIBE, 250)).containsOnly(0x97);
      // Then packet after packet of new filters: at most 50 subscriptions in all.
      int granted = FILTERS_PER_SUBSCRIBE;
      for (int p = 0; p < 20; p++) {
        List<Integer> more = subAckCodes(attacker, filters("storm/b" + p + "/", 8), 2 + p);
        granted += (int) more.stream().filter(c -> c == 1).count();
        assertThat(more).allMatch(c -> c == 1 || c == 0x97);
      }
      assertThat(granted).isEqualTo(SUBSCRIPTIONS_PER_CLIENT);
    }
    try (var attacker = raw("attacker")) {
      attacker.send(RawClient.connect311("storm-3", true));
      attacker.readPacket();
      List<Integer> codes = subAckCodes311(attacker, filters("storm/c/", 30), 1);
      assertThat(codes.subList(0, FILTERS_PER_SUBSCRIBE)).containsOnly(1);
      assertThat(codes.subList(FILTERS_PER_SUBSCRIBE, 30)).containsOnly(0x80);
    }
  }

  @Test
  void publishFloodIsRefusedWithQuotaExceededOnMqtt5AndClosedOnMqtt311() throws Exception {
    int flood = 500;
    try (var attacker = raw("attacker")) {
      attacker.send(RawClient.connect5("flood"));
      attacker.readPacket();
      var packets = new ByteArrayOutputStream();
      for (int i = 0; i < flood; i++) {
        packets.writeBytes(RawClient.publish(5, "flood/x", 1, new byte[16]));
      }
      attacker.send(packets.toByteArray());
      int accepted = 0;
      int quotaExceeded = 0;
      for (int i = 0; i < flood; i++) {
        byte[] pubAck = attacker.readPacket();
        assertThat(pubAck[0]).isEqualTo((byte) 0x40);
        // MQTT 5 §3.4.2.1: a remaining length of 2 means reason code 0x00.
        int reason = pubAck[1] == 2 ? 0 : pubAck[4] & 0xFF;
        if (reason == 0x97) {
          quotaExceeded++;
        } else {
          assertThat(reason).isZero();
          accepted++;
        }
      }
      System.out.printf(
          "publish flood (MQTT 5): %d QoS 1 sent at once, %d accepted, %d refused 0x97%n",
          flood, accepted, quotaExceeded);
      // One second's burst is accepted, then the refill (how much depends on how fast this machine
      // processes the flood), never all of it.
      assertThat(accepted).isGreaterThanOrEqualTo(PUBLISHES_PER_SECOND).isLessThan(flood);
      assertThat(quotaExceeded).isEqualTo(flood - accepted);
    }
    try (var attacker = raw("attacker")) {
      attacker.send(RawClient.connect311("flood-3", true));
      attacker.readPacket();
      var packets = new ByteArrayOutputStream();
      for (int i = 0; i < flood; i++) {
        packets.writeBytes(RawClient.publish(4, "flood/y", 1, new byte[16]));
      }
      attacker.send(packets.toByteArray());
      assertThat(attacker.closedByServer()).isTrue();
    }
  }

  @Test
  void connectFloodFromOneAddressIsRefusedBeforeTls() throws Exception {
    int flood = 50;
    int refused = 0;
    List<RawClient> accepted = new ArrayList<>();
    try {
      for (int i = 0; i < flood; i++) {
        try {
          accepted.add(raw("flooder"));
        } catch (IOException e) {
          refused++; // closed before the TLS handshake could finish
        }
      }
      System.out.printf(
          "connect flood: %d TLS connections from one address, %d refused, %d accepted%n",
          flood, refused, accepted.size());
      assertThat(refused).isPositive();
      assertThat(accepted.size()).isGreaterThanOrEqualTo(1).isLessThan(flood);
    } finally {
      for (RawClient client : accepted) {
        client.close();
      }
    }
    // A rate, not a ban: once the bucket refills the address connects again.
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () -> {
              try (var later = raw("flooder")) {
                later.send(RawClient.connect5("after-flood"));
                assertThat(later.readPacket()[0]).isEqualTo((byte) 0x20);
              }
            });
  }

  private RawClient raw(String principal) throws Exception {
    return new RawClient(hub.pki, hub.pki.clientIdentity(principal), hub.broker.port());
  }

  private static List<String> filters(String prefix, int count) {
    List<String> filters = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      filters.add(prefix + i);
    }
    return filters;
  }

  private static List<Integer> subAckCodes(RawClient client, List<String> filters, int packetId)
      throws IOException {
    client.send(subscribe(5, filters, packetId));
    return codesAfter(client.readPacket(), 3); // packet id + empty properties
  }

  private static List<Integer> subAckCodes311(RawClient client, List<String> filters, int packetId)
      throws IOException {
    client.send(subscribe(4, filters, packetId));
    return codesAfter(client.readPacket(), 2); // packet id
  }

  private static List<Integer> codesAfter(byte[] subAck, int headerBytes) {
    assertThat(subAck[0]).isEqualTo((byte) 0x90);
    int offset = 1;
    while ((subAck[offset] & 0x80) != 0) {
      offset++;
    }
    List<Integer> codes = new ArrayList<>();
    for (int i = offset + 1 + headerBytes; i < subAck.length; i++) {
      codes.add(subAck[i] & 0xFF);
    }
    return codes;
  }

  private static byte[] subscribe(int version, List<String> filters, int packetId) {
    var body = new ByteArrayOutputStream();
    body.write(packetId >> 8);
    body.write(packetId & 0xFF);
    if (version == 5) {
      body.write(0); // no properties
    }
    for (String filter : filters) {
      byte[] bytes = filter.getBytes(StandardCharsets.UTF_8);
      body.write(bytes.length >> 8);
      body.write(bytes.length & 0xFF);
      body.writeBytes(bytes);
      body.write(1); // QoS 1
    }
    return RawClient.packet(0x82, body.toByteArray());
  }

  private static boolean closedByServer(Socket socket, Duration within) throws IOException {
    socket.setSoTimeout((int) within.toMillis());
    InputStream in = socket.getInputStream();
    try {
      while (in.read() >= 0) {
        // drain whatever the server sends (e.g. a TLS alert)
      }
      return true;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true; // reset
    }
  }

  private static BrokerLimits withMaxPacketSize(BrokerLimits l, int bytes) {
    return new BrokerLimits(
        bytes,
        l.maxInflightPerClient(),
        l.maxQueuedMessagesPerSession(),
        l.connectTimeout(),
        l.maxConnections(),
        l.maxSubscriptionsPerClient(),
        l.maxTopicLengthBytes(),
        l.maxClientIdLengthBytes(),
        l.minKeepAliveSeconds(),
        l.maxKeepAliveSeconds(),
        l.defaultSessionExpiry(),
        l.maxSessionExpiry(),
        l.maxRetainedMessages(),
        l.maxFiltersPerSubscribe(),
        l.maxPublishesPerSecond(),
        l.maxConnectsPerSecondPerSource(),
        l.publishBackPressure());
  }

  /**
   * Publishes QoS 1 to its own topic every 20 ms (10/s, well under the rate limit) and records the
   * round trip of each message; every message sent must come back.
   */
  private static final class GoodDevice {
    private final Mqtt5BlockingClient client;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final List<Long> latenciesMicros = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger sent = new AtomicInteger();
    private final Mqtt5BlockingClient.Mqtt5Publishes received;
    private final Thread reader;

    GoodDevice(Mqtt5BlockingClient client) {
      this.client = client;
      client.connect();
      received = client.publishes(MqttGlobalPublishFilter.ALL);
      client.subscribeWith().topicFilter("good/echo").qos(MqttQos.AT_LEAST_ONCE).send();
      reader = new Thread(this::read, "good-device-reader");
      reader.setDaemon(true);
      reader.start();
      timer.scheduleAtFixedRate(this::publish, 0, 20, TimeUnit.MILLISECONDS);
    }

    private void publish() {
      client
          .publishWith()
          .topic("good/echo")
          .qos(MqttQos.AT_LEAST_ONCE)
          .payload(ByteBuffer.allocate(8).putLong(0, System.nanoTime()))
          .send();
      sent.incrementAndGet();
    }

    private void read() {
      try {
        while (true) {
          var message = received.receive();
          long sentAt = message.getPayload().orElseThrow().getLong(0);
          latenciesMicros.add(TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - sentAt));
        }
      } catch (InterruptedException | RuntimeException e) {
        // stopped
      }
    }

    void stopAndCheck(String test) throws Exception {
      timer.shutdown();
      assertThat(timer.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
      int total = sent.get();
      await()
          .atMost(Duration.ofSeconds(15))
          .untilAsserted(() -> assertThat(latenciesMicros).hasSize(total));
      received.close();
      reader.interrupt();
      List<Long> sorted;
      synchronized (latenciesMicros) {
        sorted = new ArrayList<>(latenciesMicros);
      }
      Collections.sort(sorted);
      assertThat(total).isPositive();
      System.out.printf(
          "well-behaved device during '%s': %d/%d QoS 1 round trips, p50 %.1f ms, p99 %.1f ms,"
              + " max %.1f ms%n",
          test,
          sorted.size(),
          total,
          sorted.get(sorted.size() / 2) / 1000.0,
          sorted.get(Math.min(sorted.size() - 1, sorted.size() * 99 / 100)) / 1000.0,
          sorted.get(sorted.size() - 1) / 1000.0);
    }
  }
}
