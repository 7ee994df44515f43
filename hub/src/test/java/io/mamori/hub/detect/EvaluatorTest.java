package io.mamori.hub.detect;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mamori.hub.events.HubEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;

/**
 * The evaluation rules, one period at a time under a hand-moved clock: consecutive datapoints to
 * alarm and to clear, a fleet percentile, a learned baseline.
 */
class EvaluatorTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private final MovableClock clock = new MovableClock();
  private final CloudMetrics cloud = new CloudMetrics(clock);
  private final List<HubEvent> events = new ArrayList<>();
  private final Map<String, Instant> things = new HashMap<>();
  private final Alarms alarms =
      new Alarms(
          new MemoryAlarms(),
          p -> new ProfileMitigations(List.of("QUARANTINE"), "{}"),
          c -> {},
          events::add,
          clock);

  private final ConcurrentLinkedQueue<DeviceReport> reports = new ConcurrentLinkedQueue<>();

  private final List<SecurityProfile> profiles = new ArrayList<>();

  private Evaluator evaluator(String profileJson) throws Exception {
    var content = ProfileDocuments.read(new ObjectMapper().readTree(profileJson));
    var profile =
        new SecurityProfile(
            "p", "", content.behaviors(), content.mitigations(), "{}", Set.of("all"), T0, T0);
    profiles.add(profile);
    return new Evaluator(
        cloud,
        reports,
        () -> List.copyOf(profiles),
        () -> things,
        g -> Set.of(),
        alarms,
        List.of(),
        DetectSettings.defaults().withPeriod(Duration.ofSeconds(1)).withLearningDatapoints(5),
        clock);
  }

  private void send(String thing, int messages) {
    things.putIfAbsent(thing, T0);
    var meter = cloud.forClient(thing);
    for (int i = 0; i < messages; i++) {
      meter.received(100);
    }
  }

  private void tick(Evaluator evaluator) {
    clock.now = clock.now.plusSeconds(1);
    evaluator.evaluate();
  }

  private List<String> changes(String thing) {
    return events.stream().filter(e -> e.subject().equals(thing)).map(HubEvent::type).toList();
  }

  @Test
  void anAlarmNeedsItsConsecutiveViolationsAndClearsOnlyAfterItsConsecutiveNormalDatapoints()
      throws Exception {
    var evaluator =
        evaluator(
            """
            {"behaviors": [{"name": "flood", "metric": "aws:num-messages-sent",
              "criteria": {"comparisonOperator": "less-than", "value": {"count": 10},
                           "durationSeconds": 1, "consecutiveDatapointsToAlarm": 2,
                           "consecutiveDatapointsToClear": 3}}]}
            """);
    send("d", 50);
    tick(evaluator);
    assertThat(changes("d")).isEmpty(); // one violating datapoint of two
    send("d", 1);
    tick(evaluator);
    assertThat(changes("d")).isEmpty(); // the streak was broken
    send("d", 50);
    tick(evaluator);
    send("d", 50);
    tick(evaluator);
    assertThat(changes("d")).containsExactly(Alarms.ACTIVE);
    assertThat(events.get(0).details())
        .containsEntry("value", "50")
        .containsEntry("threshold", "10");
    tick(evaluator);
    tick(evaluator);
    send("d", 50); // a violation resets the clearing streak
    tick(evaluator);
    tick(evaluator);
    tick(evaluator);
    assertThat(changes("d")).containsExactly(Alarms.ACTIVE);
    tick(evaluator);
    assertThat(changes("d")).containsExactly(Alarms.ACTIVE, Alarms.CLEARED);
  }

  @Test
  void aStatisticalThresholdComparesEachDeviceWithTheFleetsPercentile() throws Exception {
    var evaluator =
        evaluator(
            """
            {"behaviors": [{"name": "above-p90", "metric": "mamori:num-bytes-sent",
              "criteria": {"comparisonOperator": "less-than-equals",
                           "statisticalThreshold": {"statistic": "p90"}, "durationSeconds": 1}}]}
            """);
    for (int i = 0; i < 9; i++) {
      send("normal-" + i, 10 + i); // 1000..1800 bytes
    }
    send("outlier", 200); // 20000 bytes
    tick(evaluator);
    assertThat(events)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.subject()).isEqualTo("outlier");
              // Nearest rank: the 9th of 10 sorted values, the largest normal device.
              assertThat(e.details())
                  .containsEntry("threshold", "1800")
                  .containsEntry("value", "20000");
            });
  }

  @Test
  void aLearnedBaselineJudgesADeviceAgainstItsOwnHistoryAfterLearning() throws Exception {
    var evaluator =
        evaluator(
            """
            {"behaviors": [{"name": "own-normal", "metric": "aws:num-messages-sent",
              "criteria": {"mlDetectionConfig": {"confidenceLevel": "HIGH"}, "durationSeconds": 1}}]}
            """);
    // Learning (5 datapoints): even a big value is learned, not judged.
    for (int n : new int[] {20, 22, 18, 21, 19}) {
      send("chatty", n);
      tick(evaluator);
    }
    send("chatty", 23); // within mean 20 + 3 x stddev 1.58, so learned: mean 20.5, stddev 1.87
    tick(evaluator);
    assertThat(events).isEmpty();
    send("chatty", 60);
    tick(evaluator);
    assertThat(events)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.type()).isEqualTo(Alarms.ACTIVE);
              assertThat(Double.parseDouble(e.details().get("threshold"))).isBetween(26.0, 26.5);
            });
  }

  @Test
  void eachDeviceReportIsItsOwnDatapointEvenWithinOnePeriod() throws Exception {
    var evaluator =
        evaluator(
            """
            {"behaviors": [{"name": "ports", "metric": "aws:num-listening-tcp-ports",
              "criteria": {"comparisonOperator": "less-than-equals", "value": {"count": 2}}}]}
            """);
    things.put("gw", T0);
    reports.add(new DeviceReport("gw", 1, T0, Map.of(MetricNames.LISTENING_TCP_PORTS, 3.0)));
    reports.add(new DeviceReport("gw", 2, T0, Map.of(MetricNames.LISTENING_TCP_PORTS, 1.0)));
    tick(evaluator);
    assertThat(changes("gw")).containsExactly(Alarms.ACTIVE, Alarms.CLEARED);
    tick(evaluator); // no report, no datapoint
    assertThat(changes("gw")).hasSize(2);
  }

  @Test
  void theAlarmsOfADeletedProfileAreCleared() throws Exception {
    var evaluator =
        evaluator(
            """
            {"behaviors": [{"name": "flood", "metric": "aws:num-messages-sent",
              "criteria": {"comparisonOperator": "less-than", "value": {"count": 10},
                           "durationSeconds": 1}}]}
            """);
    send("d", 50);
    tick(evaluator);
    assertThat(changes("d")).containsExactly(Alarms.ACTIVE);
    profiles.clear();
    send("d", 50);
    tick(evaluator);
    assertThat(changes("d")).containsExactly(Alarms.ACTIVE, Alarms.CLEARED);
  }

  @Test
  void fleetPercentileUsesNearestRank() {
    assertThat(percentileOf(List.of(5.0, 1.0, 3.0), 50)).isEqualTo(3.0);
    assertThat(percentileOf(List.of(5.0, 1.0, 3.0), 100)).isEqualTo(5.0);
    assertThat(percentileOf(List.of(5.0, 1.0, 3.0), 0)).isEqualTo(1.0);
  }

  private static double percentileOf(List<Double> values, double p) {
    return Evaluator.percentileOfValues(
        values.stream().mapToDouble(Double::doubleValue).toArray(), p);
  }

  private static final class MovableClock extends Clock {
    Instant now = T0;

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  private static final class MemoryAlarms implements AlarmRepository {
    private final Map<String, Alarm> alarms = new HashMap<>();
    private final Map<String, List<AlarmChange>> history = new HashMap<>();

    @Override
    public void save(Alarm alarm, AlarmChange change) {
      alarms.put(alarm.id(), alarm);
      history.computeIfAbsent(alarm.id(), k -> new ArrayList<>()).add(change);
    }

    @Override
    public Optional<Alarm> find(String id) {
      return Optional.ofNullable(alarms.get(id));
    }

    @Override
    public List<Alarm> list(boolean activeOnly, int limit) {
      return alarms.values().stream()
          .filter(a -> !activeOnly || a.state() == Alarm.State.ACTIVE)
          .limit(limit)
          .toList();
    }

    @Override
    public List<AlarmChange> history(String id) {
      return history.getOrDefault(id, List.of());
    }
  }
}
