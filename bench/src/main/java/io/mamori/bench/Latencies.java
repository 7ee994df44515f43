package io.mamori.bench;

import java.util.Arrays;

/** Latency samples in nanoseconds; one recorder per connection, so its lock is uncontended. */
final class Latencies {
  private long[] samples = new long[1024];
  private int size;

  synchronized void record(long nanos) {
    if (size == samples.length) {
      samples = Arrays.copyOf(samples, size * 2);
    }
    samples[size++] = nanos;
  }

  synchronized int count() {
    return size;
  }

  static Latencies merge(Iterable<Latencies> parts) {
    Latencies all = new Latencies();
    for (Latencies part : parts) {
      synchronized (part) {
        for (int i = 0; i < part.size; i++) {
          all.record(part.samples[i]);
        }
      }
    }
    return all;
  }

  /** The p-th percentile (0..100) in milliseconds, nearest-rank; NaN without samples. */
  synchronized double percentileMillis(double p) {
    if (size == 0) {
      return Double.NaN;
    }
    long[] sorted = Arrays.copyOf(samples, size);
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(p / 100.0 * size);
    return sorted[Math.max(0, Math.min(size - 1, rank - 1))] / 1e6;
  }
}
