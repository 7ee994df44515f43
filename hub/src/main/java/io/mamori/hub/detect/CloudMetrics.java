package io.mamori.hub.detect;

import io.mamori.hub.events.HubEvent;
import io.mamori.hub.mqtt.TrafficMeter;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Cloud-side metrics per client id (reference §8.3): messages and bytes both ways, authorization
 * failures, connection attempts, disconnects (and those without a clean DISCONNECT), source
 * addresses and last contact. Traffic is counted through {@link TrafficMeter#forClient}; the rest
 * from the broker's events. Both run on event loops, so they only touch lock-free counters; {@link
 * #sample} runs on the Detect scheduler.
 */
final class CloudMetrics implements TrafficMeter, Consumer<HubEvent> {
  /** Names of the counted metrics, in the order of {@link DeviceCounters#totals()}. */
  static final List<String> COUNTED =
      List.of(
          MetricNames.MESSAGES_SENT,
          MetricNames.MESSAGES_RECEIVED,
          MetricNames.BYTES_SENT,
          MetricNames.BYTES_RECEIVED,
          MetricNames.AUTHORIZATION_FAILURES,
          MetricNames.CONNECTION_ATTEMPTS,
          MetricNames.DISCONNECTS,
          MetricNames.UNEXPECTED_DISCONNECTS);

  // A refused CONNECT may carry any client id: bound what strangers can make us remember.
  static final int MAX_DEVICES = 100_000;
  static final int MAX_CLIENT_ID = 128;
  private static final String CLEAN_DISCONNECT = "CLIENT_INITIATED_DISCONNECT";

  private final Map<String, DeviceCounters> devices = new ConcurrentHashMap<>();
  // Scheduler thread only: last totals seen, to turn running totals into deltas.
  private final Map<String, long[]> previous = new HashMap<>();
  private final Clock clock;

  CloudMetrics(Clock clock) {
    this.clock = clock;
  }

  // Broker-wide totals are the metrics package's job; here only per-client meters count.
  @Override
  public void received(int payloadBytes) {}

  @Override
  public void sent(int payloadBytes) {}

  @Override
  public TrafficMeter forClient(String clientId) {
    DeviceCounters counters = counters(clientId);
    return counters == null ? TrafficMeter.NONE : counters;
  }

  private DeviceCounters counters(String clientId) {
    DeviceCounters known = devices.get(clientId);
    if (known != null) {
      return known;
    }
    if (clientId.isEmpty() || clientId.length() > MAX_CLIENT_ID || devices.size() >= MAX_DEVICES) {
      return null;
    }
    return devices.computeIfAbsent(clientId, id -> new DeviceCounters(clock.millis()));
  }

  @Override
  public void accept(HubEvent event) {
    boolean denied = HubEvent.DENIED.equals(event.outcome());
    switch (event.type()) {
      case "mqtt.connect" -> connect(event, denied);
      case "mqtt.disconnect" -> disconnect(event);
      case "mqtt.publish", "mqtt.subscribe" -> {
        if (denied) {
          DeviceCounters c = counters(event.subject());
          if (c != null) {
            c.authorizationFailures.increment();
          }
        }
      }
      default -> {}
    }
  }

  private void connect(HubEvent event, boolean denied) {
    DeviceCounters c = counters(event.subject());
    if (c == null) {
      return;
    }
    // Reference §8.3: aws:num-connection-attempts counts successful and failed attempts.
    c.connectionAttempts.increment();
    if (denied) {
      c.authorizationFailures.increment();
      return;
    }
    c.liveConnections.incrementAndGet();
    c.lastContactMillis = event.at().toEpochMilli();
    String address = event.details().get("ipAddress");
    if (address != null) {
      c.sources.get().add(address);
    }
  }

  private void disconnect(HubEvent event) {
    DeviceCounters c = devices.get(event.subject());
    if (c == null) {
      return;
    }
    c.disconnects.increment();
    if (!CLEAN_DISCONNECT.equals(event.reason())) {
      c.unexpectedDisconnects.increment();
    }
    c.liveConnections.updateAndGet(n -> Math.max(0, n - 1));
    c.lastContactMillis = event.at().toEpochMilli();
  }

  /** Each known device's datapoint since the previous call. Scheduler thread only. */
  Map<String, CloudSample> sample() {
    Instant now = clock.instant();
    Map<String, CloudSample> out = new HashMap<>();
    for (var entry : devices.entrySet()) {
      DeviceCounters c = entry.getValue();
      long[] totals = c.totals();
      long[] before = previous.getOrDefault(entry.getKey(), new long[totals.length]);
      previous.put(entry.getKey(), totals);
      Map<String, Long> values = new HashMap<>();
      for (int i = 0; i < totals.length; i++) {
        values.put(COUNTED.get(i), totals[i] - before[i]);
      }
      values.put(MetricNames.MESSAGE_BYTE_SIZE, c.largestMessage.getThenReset());
      var sources = c.sources.getAndSet(ConcurrentHashMap.newKeySet());
      boolean connected = c.liveConnections.get() > 0;
      Instant lastContact = connected ? now : Instant.ofEpochMilli(c.lastContactMillis);
      out.put(entry.getKey(), new CloudSample(values, sources, connected, lastContact));
    }
    return out;
  }

  /** When a device was last in contact, if it has been seen since the hub started. */
  java.util.Optional<Instant> lastContact(String clientId) {
    DeviceCounters c = devices.get(clientId);
    if (c == null) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(
        c.liveConnections.get() > 0 ? clock.instant() : Instant.ofEpochMilli(c.lastContactMillis));
  }
}
