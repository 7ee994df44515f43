package io.mamori.hub.detect;

import java.time.Instant;
import java.util.Map;

/**
 * One accepted device-side metrics report (reference §8.4), reduced to the values behaviours can
 * watch.
 *
 * @param thing the thing named in the topic
 * @param reportId the header's report id
 * @param receivedAt when the hub accepted it
 * @param values metric name ({@link MetricNames}, {@code cmet:NAME} for custom numbers) → value
 */
public record DeviceReport(
    String thing, long reportId, Instant receivedAt, Map<String, Double> values) {
  public DeviceReport {
    values = Map.copyOf(values);
  }
}
