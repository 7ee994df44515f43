package io.mamori.hub.detect;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The recent cloud-side datapoints of each device, kept as long as the longest behaviour window
 * (one hour), and their aggregate over a window: counts and bytes are summed, the message size is
 * the largest, source addresses are counted once. Detect scheduler thread only.
 */
final class MetricHistory {
  private static final Duration KEEP = Duration.ofHours(1);

  private record Point(Instant at, CloudSample sample) {}

  private final Map<String, Deque<Point>> devices = new HashMap<>();

  void add(Instant at, Map<String, CloudSample> samples) {
    samples.forEach(
        (device, sample) ->
            devices
                .computeIfAbsent(device, d -> new ArrayDeque<>())
                .addLast(new Point(at, sample)));
    Instant oldest = at.minus(KEEP);
    devices
        .values()
        .removeIf(
            points -> {
              while (!points.isEmpty() && points.peekFirst().at().isBefore(oldest)) {
                points.removeFirst();
              }
              return points.isEmpty();
            });
  }

  /** The metric over the window ending now (always including the latest datapoint). */
  Optional<Double> window(String device, String metric, Duration window, Instant now) {
    Deque<Point> points = devices.get(device);
    if (points == null || points.isEmpty()) {
      return Optional.empty();
    }
    Instant from = now.minus(window);
    double total = 0;
    Set<String> sources = new HashSet<>();
    boolean first = true;
    for (var it = points.descendingIterator(); it.hasNext(); ) {
      Point p = it.next();
      if (!first && !p.at().isAfter(from)) {
        break;
      }
      first = false;
      if (metric.equals(MetricNames.SOURCE_ADDRESSES)) {
        sources.addAll(p.sample().sources());
      } else if (metric.equals(MetricNames.MESSAGE_BYTE_SIZE)) {
        total = Math.max(total, p.sample().values().getOrDefault(metric, 0L));
      } else {
        total += p.sample().values().getOrDefault(metric, 0L);
      }
    }
    return Optional.of(metric.equals(MetricNames.SOURCE_ADDRESSES) ? sources.size() : total);
  }
}
