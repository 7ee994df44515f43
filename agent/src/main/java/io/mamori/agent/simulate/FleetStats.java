package io.mamori.agent.simulate;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAccumulator;

/** Counters the virtual devices of one simulator share; read at any time for a summary. */
public final class FleetStats {
  final AtomicLong connected = new AtomicLong();
  final AtomicLong notifications = new AtomicLong();
  final AtomicLong started = new AtomicLong();
  final AtomicLong succeeded = new AtomicLong();
  final AtomicLong failed = new AtomicLong();
  final AtomicLong rejected = new AtomicLong();
  final AtomicLong refusedByHub = new AtomicLong();
  private final LongAccumulator firstNotification = new LongAccumulator(Math::min, Long.MAX_VALUE);
  private final LongAccumulator lastNotification = new LongAccumulator(Math::max, Long.MIN_VALUE);

  void notified(long nanos) {
    notifications.incrementAndGet();
    firstNotification.accumulate(nanos);
    lastNotification.accumulate(nanos);
  }

  /** A snapshot of the counters. */
  public Summary summary() {
    long n = notifications.get();
    double seconds = (lastNotification.get() - firstNotification.get()) / 1e9;
    double rate = n > 1 && seconds > 0 ? (n - 1) / seconds : 0;
    return new Summary(
        connected.get(),
        n,
        started.get(),
        succeeded.get(),
        failed.get(),
        rejected.get(),
        refusedByHub.get(),
        rate);
  }

  /**
   * @param notificationsPerSecond notify-next messages carrying a job, per second between the first
   *     and the last one received (0 with fewer than two)
   * @param refusedByHub requests answered on {@code .../rejected}
   */
  public record Summary(
      long connected,
      long notifications,
      long started,
      long succeeded,
      long failed,
      long rejected,
      long refusedByHub,
      double notificationsPerSecond) {}
}
