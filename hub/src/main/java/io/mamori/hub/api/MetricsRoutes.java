package io.mamori.hub.api;

import io.mamori.hub.metrics.MetricRegistry;

/**
 * {@code GET /metrics}: Prometheus text exposition format 0.0.4, behind the admin token like every
 * other route (Prometheus sends it with {@code authorization: {credentials_file: ...}}).
 */
final class MetricsRoutes {
  private final MetricRegistry metrics;

  MetricsRoutes(MetricRegistry metrics) {
    this.metrics = metrics;
  }

  void register(Router router) {
    router.add(
        "GET",
        "/metrics",
        request -> ApiResponse.text(MetricRegistry.CONTENT_TYPE, metrics.scrape()));
  }
}
