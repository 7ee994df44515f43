package io.mamori.hub.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricRegistryTest {
  @Test
  void rendersTheTextExpositionFormat() {
    var registry = new MetricRegistry();
    var counter = registry.counter("b_total", "Things counted.");
    var labeled = registry.labeledCounter("a_total", "By kind.", "kind").withValues("x");
    registry.gauge("c", "A level.", () -> 7);
    registry.labeledGauge(
        "d", "Labeled.", () -> Map.of(MetricRegistry.label("q", "say \"hi\"\n"), 1L));
    counter.add(3);
    labeled.increment("y");

    assertThat(registry.scrape())
        .isEqualTo(
            """
            # HELP a_total By kind.
            # TYPE a_total counter
            a_total{kind="x"} 0
            a_total{kind="y"} 1
            # HELP b_total Things counted.
            # TYPE b_total counter
            b_total 3
            # HELP c A level.
            # TYPE c gauge
            c 7
            # HELP d Labeled.
            # TYPE d gauge
            d{q="say \\"hi\\"\\n"} 1
            """);
  }

  @Test
  void refusesBadAndDuplicateNames() {
    var registry = new MetricRegistry();
    registry.counter("ok_total", "x");
    assertThatThrownBy(() -> registry.counter("ok_total", "x")).hasMessageContaining("twice");
    assertThatThrownBy(() -> registry.gauge("bad-name", "x", () -> 1))
        .hasMessageContaining("not a Prometheus metric name");
  }
}
