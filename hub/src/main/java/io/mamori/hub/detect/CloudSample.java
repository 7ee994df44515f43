package io.mamori.hub.detect;

import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * One device's cloud-side datapoint for one evaluation period.
 *
 * @param values metric name → value over the period (counts, bytes, largest message)
 * @param sources distinct source addresses seen connecting in the period
 * @param connected whether the device had a live connection at the end of the period
 * @param lastContact when it was last connected (now, if connected)
 */
record CloudSample(
    Map<String, Long> values, Set<String> sources, boolean connected, Instant lastContact) {
  CloudSample {
    values = Map.copyOf(values);
    sources = Set.copyOf(sources);
  }
}
