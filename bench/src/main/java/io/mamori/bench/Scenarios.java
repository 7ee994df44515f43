package io.mamori.bench;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntFunction;

/**
 * The scenarios run against either broker. Each returns its figures by metric key; the caller
 * records CPU and wall time around it.
 */
final class Scenarios {
  static final String FAN_IN_FILTER = "devices/+/data";
  static final String FAN_OUT_TOPIC = "fleet/broadcast";

  private final LoadClient client;
  private final BenchOptions options;
  private final List<Device> devices;
  private final Device controller;

  Scenarios(LoadClient client, BenchOptions options, List<Device> devices, Device controller) {
    this.client = client;
    this.options = options;
    this.devices = devices;
    this.controller = controller;
  }

  /**
   * New mTLS sessions per second: {@code connectors} loops, each opening a connection (full TLS 1.3
   * handshake with a P-256 client certificate, then CONNECT/CONNACK), disconnecting and starting
   * again until the time is up.
   */
  Map<String, Double> connectRate(int port) throws InterruptedException {
    return connectRate(port, options.connectSeconds);
  }

  /** Connect, CONNACK, disconnect in a loop for {@code lengthSeconds} on every connector. */
  Map<String, Double> connectRate(int port, int lengthSeconds) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(lengthSeconds);
    AtomicInteger next = new AtomicInteger();
    LongAdder ok = new LongAdder();
    LongAdder failed = new LongAdder();
    AtomicReference<String> firstFailure = new AtomicReference<>();
    Latencies[] latencies = new Latencies[options.connectors];
    CountDownLatch done = new CountDownLatch(options.connectors);
    long started = System.nanoTime();
    for (int c = 0; c < options.connectors; c++) {
      latencies[c] = new Latencies();
      connectLoop(port, end, next, ok, failed, firstFailure, latencies[c], done);
    }
    done.await();
    double seconds = (System.nanoTime() - started) / 1e9;
    Latencies all = Latencies.merge(List.of(latencies));
    failIfNone(ok.sum(), "connect", firstFailure.get());
    return Map.of(
        "connect.rate",
        ok.sum() / seconds,
        "connect.p50",
        all.percentileMillis(50),
        "connect.p99",
        all.percentileMillis(99),
        "connect.failed",
        (double) failed.sum());
  }

  private void connectLoop(
      int port,
      long end,
      AtomicInteger next,
      LongAdder ok,
      LongAdder failed,
      AtomicReference<String> firstFailure,
      Latencies latencies,
      CountDownLatch done) {
    if (System.nanoTime() >= end) {
      done.countDown();
      return;
    }
    Device device = devices.get(Math.floorMod(next.getAndIncrement(), devices.size()));
    long t0 = System.nanoTime();
    LoadConnection connection = client.connect(device, device.name(), port);
    connection
        .connected()
        .whenComplete(
            (c, error) -> {
              if (error == null) {
                latencies.record(System.nanoTime() - t0);
                ok.increment();
                c.disconnect();
              } else {
                failed.increment();
                firstFailure.compareAndSet(null, error.toString());
              }
              // Start the next one only when this connection is gone, so at most `connectors`
              // sessions exist at a time and no client id is in use twice by one loop.
              connection
                  .closed()
                  .whenComplete(
                      (t, e) ->
                          connectLoop(port, end, next, ok, failed, firstFailure, latencies, done));
            });
  }

  /**
   * QoS 1 fan-in: every device publishes 256-byte messages to its own topic, waiting for each
   * PUBACK before the next ({@code window} in flight per device); one subscriber receives all.
   * Latency is from the publisher's send to the subscriber's receipt (timestamp in the payload).
   */
  Map<String, Double> fanIn(int port, int deviceCount) throws InterruptedException {
    LoadConnection subscriber = client.connectAndWait(controller, controller.name(), port);
    subscriber.subscribe(FAN_IN_FILTER).orTimeout(30, TimeUnit.SECONDS).join();
    Latencies latencies = new Latencies();
    AtomicLong received = new AtomicLong();
    Window window = new Window();
    subscriber.onMessage(
        (topic, payload) -> {
          long latency = System.nanoTime() - payload.getLong(payload.readerIndex());
          received.incrementAndGet();
          if (window.measuring) {
            latencies.record(latency);
          }
        });
    List<LoadConnection> publishers =
        connectAll(deviceCount, i -> devices.get(i), i -> devices.get(i).name(), port);
    AtomicLong sent = new AtomicLong();
    for (LoadConnection publisher : publishers) {
      String topic = "devices/" + publisher.clientId() + "/data";
      for (int w = 0; w < options.window; w++) {
        publishLoop(publisher, topic, window, sent);
      }
    }
    window.run(options.warmupSeconds, options.messageSeconds);
    long lost = drain(sent, received::get);
    double rate = latencies.count() / (double) options.messageSeconds;
    publishers.forEach(LoadConnection::disconnect);
    subscriber.disconnect();
    failIfNone(latencies.count(), "fan-in", "no message reached the subscriber");
    return Map.of(
        "fanin.rate",
        rate,
        "fanin.p50",
        latencies.percentileMillis(50),
        "fanin.p99",
        latencies.percentileMillis(99),
        "fanin.p999",
        latencies.percentileMillis(99.9),
        "fanin.lost",
        (double) lost,
        "fanin.publishers",
        (double) publishers.size());
  }

  /**
   * Fan-out: one publisher sends QoS 1 messages to one topic ({@code window} in flight); {@code
   * subscribers} devices receive every message. Figures are deliveries (messages times
   * subscribers).
   */
  Map<String, Double> fanOut(int port, int subscriberCount) throws InterruptedException {
    List<LoadConnection> subscribers =
        connectAll(subscriberCount, i -> devices.get(i), i -> devices.get(i).name(), port);
    Window window = new Window();
    LongAdder delivered = new LongAdder();
    List<Latencies> perSubscriber = new ArrayList<>();
    List<CompletableFuture<Void>> subscribed = new ArrayList<>();
    for (LoadConnection s : subscribers) {
      Latencies latencies = new Latencies();
      perSubscriber.add(latencies);
      s.onMessage(
          (topic, payload) -> {
            long latency = System.nanoTime() - payload.getLong(payload.readerIndex());
            delivered.increment();
            if (window.measuring) {
              latencies.record(latency);
            }
          });
      subscribed.add(s.subscribe(FAN_OUT_TOPIC));
    }
    CompletableFuture.allOf(subscribed.toArray(CompletableFuture[]::new))
        .orTimeout(60, TimeUnit.SECONDS)
        .join();
    LoadConnection publisher = client.connectAndWait(controller, controller.name(), port);
    AtomicLong sent = new AtomicLong();
    for (int w = 0; w < options.fanOutWindow; w++) {
      publishLoop(publisher, FAN_OUT_TOPIC, window, sent);
    }
    window.run(options.warmupSeconds, options.messageSeconds);
    long expected = sent.get() * subscribers.size();
    long lost = drain(new AtomicLong(expected), delivered::sum);
    publisher.disconnect();
    subscribers.forEach(LoadConnection::disconnect);
    Latencies all = Latencies.merge(perSubscriber);
    failIfNone(all.count(), "fan-out", "no message reached a subscriber");
    return Map.of(
        "fanout.rate",
        all.count() / (double) options.messageSeconds,
        "fanout.p50",
        all.percentileMillis(50),
        "fanout.p99",
        all.percentileMillis(99),
        "fanout.p999",
        all.percentileMillis(99.9),
        "fanout.lost",
        (double) lost,
        "fanout.subscribers",
        (double) subscribers.size());
  }

  /**
   * Opens {@code count} idle connections (client ids {@code idle-N}, device certificates in turn);
   * the caller reads the broker's memory while they are open and closes them.
   */
  List<LoadConnection> openIdle(int port, int count) throws InterruptedException {
    return connectAll(
        count, i -> devices.get(i % devices.size()), i -> String.format("idle-%05d", i), port);
  }

  /**
   * Connects with at most {@code openConcurrency} handshakes in progress. A connection the broker
   * drops before CONNACK (e.g. its handshake timeout on an overloaded machine) is tried again up to
   * {@link #ATTEMPTS} times and counted in {@link #retries()}; a refusal after that fails.
   */
  List<LoadConnection> connectAll(
      int count, IntFunction<Device> device, IntFunction<String> clientId, int port)
      throws InterruptedException {
    Semaphore permits = new Semaphore(options.openConcurrency);
    List<CompletableFuture<LoadConnection>> futures = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      permits.acquire();
      CompletableFuture<LoadConnection> connected =
          attempt(device.apply(i), clientId.apply(i), port, 1);
      connected.whenComplete((c, e) -> permits.release());
      futures.add(connected);
    }
    List<LoadConnection> open = new ArrayList<>(count);
    for (CompletableFuture<LoadConnection> future : futures) {
      open.add(future.orTimeout(300, TimeUnit.SECONDS).join());
    }
    return open;
  }

  static final int ATTEMPTS = 3;
  private final LongAdder retries = new LongAdder();

  /** Connections that had to be opened again since this object was made. */
  long retries() {
    return retries.sum();
  }

  private CompletableFuture<LoadConnection> attempt(
      Device device, String clientId, int port, int attempt) {
    return client
        .connect(device, clientId, port)
        .connected()
        .handle(
            (c, e) -> {
              if (e == null) {
                return CompletableFuture.completedFuture(c);
              }
              if (attempt >= ATTEMPTS) {
                return CompletableFuture.<LoadConnection>failedFuture(e);
              }
              retries.increment();
              return attempt(device, clientId, port, attempt + 1);
            })
        .thenCompose(f -> f);
  }

  private static void publishLoop(
      LoadConnection publisher, String topic, Window window, AtomicLong sent) {
    if (window.stopped) {
      return;
    }
    ByteBuf payload = LoadConnection.timestamped(BenchOptions.PAYLOAD_BYTES);
    sent.incrementAndGet();
    publisher
        .publishQos1(topic, payload)
        .whenComplete(
            (ok, error) -> {
              if (error == null) {
                publishLoop(publisher, topic, window, sent);
              }
            });
  }

  /** Waits up to 10 s for every sent message to arrive; returns how many did not. */
  private static long drain(AtomicLong expected, java.util.function.LongSupplier received) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    long last = -1;
    while (System.nanoTime() < deadline) {
      long now = received.getAsLong();
      if (now >= expected.get()) {
        return 0;
      }
      if (now == last && System.nanoTime() > deadline - TimeUnit.SECONDS.toNanos(7)) {
        break; // nothing moved for a while: the rest is lost
      }
      last = now;
      BrokerProcess.sleep(500);
    }
    return Math.max(0, expected.get() - received.getAsLong());
  }

  private static void failIfNone(long count, String scenario, String reason) {
    if (count == 0) {
      throw new IllegalStateException(scenario + " produced no result: " + reason);
    }
  }

  /** Warm-up, then the measured window, then stop; read by publishers and subscribers. */
  static final class Window {
    volatile boolean measuring;
    volatile boolean stopped;

    void run(int warmupSeconds, int measureSeconds) {
      BrokerProcess.sleep(TimeUnit.SECONDS.toMillis(warmupSeconds));
      measuring = true;
      BrokerProcess.sleep(TimeUnit.SECONDS.toMillis(measureSeconds));
      measuring = false;
      stopped = true;
    }
  }
}
