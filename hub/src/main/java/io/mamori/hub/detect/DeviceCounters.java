package io.mamori.hub.detect;

import io.mamori.hub.mqtt.TrafficMeter;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

/**
 * The cloud-side counters of one client id. Written on Netty event loops (striped {@link
 * LongAdder}s, never a lock); read by the Detect scheduler, which turns the running totals into
 * per-period deltas, so no increment is ever lost to a reset.
 */
final class DeviceCounters implements TrafficMeter {
  final LongAdder messagesFromDevice = new LongAdder();
  final LongAdder messagesToDevice = new LongAdder();
  final LongAdder bytesFromDevice = new LongAdder();
  final LongAdder bytesToDevice = new LongAdder();
  final LongAdder authorizationFailures = new LongAdder();
  final LongAdder connectionAttempts = new LongAdder();
  final LongAdder disconnects = new LongAdder();
  final LongAdder unexpectedDisconnects = new LongAdder();
  // Largest message of the period: reset by the scheduler (a racing maximum may land in the next
  // period, which is harmless for a size limit).
  final LongAccumulator largestMessage = new LongAccumulator(Math::max, 0);
  final AtomicInteger liveConnections = new AtomicInteger();
  final AtomicReference<Set<String>> sources = new AtomicReference<>(ConcurrentHashMap.newKeySet());
  volatile long lastContactMillis;

  DeviceCounters(long createdMillis) {
    this.lastContactMillis = createdMillis;
  }

  @Override
  public void received(int payloadBytes) {
    messagesFromDevice.increment();
    bytesFromDevice.add(payloadBytes);
    largestMessage.accumulate(payloadBytes);
  }

  @Override
  public void sent(int payloadBytes) {
    messagesToDevice.increment();
    bytesToDevice.add(payloadBytes);
  }

  /** Cumulative totals, in the order of {@link CloudMetrics#COUNTED}. */
  long[] totals() {
    return new long[] {
      messagesFromDevice.sum(),
      messagesToDevice.sum(),
      bytesFromDevice.sum(),
      bytesToDevice.sum(),
      authorizationFailures.sum(),
      connectionAttempts.sum(),
      disconnects.sum(),
      unexpectedDisconnects.sum()
    };
  }
}
