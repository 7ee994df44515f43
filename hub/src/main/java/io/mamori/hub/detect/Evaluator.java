package io.mamori.hub.detect;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One evaluation per period, on the Detect scheduler (never a Netty loop): takes the cloud-side
 * datapoints of the period and the device reports that arrived, evaluates every behaviour of every
 * profile for every targeted thing, and moves alarms after the consecutive datapoints to alarm or
 * to clear. Not thread-safe: one scheduler thread calls {@link #evaluate()}.
 */
final class Evaluator {
  private static final Logger log = LoggerFactory.getLogger(Evaluator.class);

  /** The profile name of the hub-wide dormancy rule ({@code --dormant-after}). */
  static final String GLOBAL_PROFILE = "hub-dormancy";

  private final CloudMetrics cloud;
  private final MetricHistory history = new MetricHistory();
  private final ConcurrentLinkedQueue<DeviceReport> freshReports;
  private final Supplier<List<SecurityProfile>> profiles;
  private final Supplier<Map<String, Instant>> registeredThings;
  private final Function<String, Set<String>> thingsInGroup;
  private final Alarms alarms;
  private final DetectSettings settings;
  private final Clock clock;
  private final Instant started;
  private final Map<String, Streak> streaks = new HashMap<>();
  private final Map<String, Baseline> baselines = new HashMap<>();

  /** Consecutive violating / normal datapoints of one (profile, behaviour, thing). */
  private static final class Streak {
    int violations;
    int normals;
    Alarm open;
  }

  private record Datapoint(String thing, double value) {}

  Evaluator(
      CloudMetrics cloud,
      ConcurrentLinkedQueue<DeviceReport> freshReports,
      Supplier<List<SecurityProfile>> profiles,
      Supplier<Map<String, Instant>> registeredThings,
      Function<String, Set<String>> thingsInGroup,
      Alarms alarms,
      List<Alarm> openAlarms,
      DetectSettings settings,
      Clock clock) {
    this.cloud = cloud;
    this.freshReports = freshReports;
    this.profiles = profiles;
    this.registeredThings = registeredThings;
    this.thingsInGroup = thingsInGroup;
    this.alarms = alarms;
    this.settings = settings;
    this.clock = clock;
    this.started = clock.instant();
    // After a restart the alarms still active are picked up, not raised twice.
    for (Alarm a : openAlarms) {
      streaks.computeIfAbsent(key(a.profile(), a.behavior(), a.thing()), k -> new Streak()).open =
          a;
    }
  }

  void evaluate() {
    Instant now = clock.instant();
    history.add(now, cloud.sample());
    Map<String, List<Map<String, Double>>> reports = drainReports();
    Map<String, Instant> registered = registeredThings.get();
    List<SecurityProfile> current = profiles.get();
    for (SecurityProfile profile : current) {
      Set<String> things = targets(profile, registered.keySet());
      if (things.isEmpty()) {
        continue;
      }
      for (Behavior behavior : profile.behaviors()) {
        List<Datapoint> datapoints = new ArrayList<>();
        for (String thing : things) {
          values(thing, registered, behavior, reports, now)
              .forEach(v -> datapoints.add(new Datapoint(thing, v)));
        }
        judge(profile.name(), behavior, datapoints);
      }
    }
    settings.dormantAfter().ifPresent(after -> dormancy(after, registered, now));
    clearOrphans(current);
  }

  /**
   * Clears the alarms of behaviours that no longer exist (profile deleted or behaviour removed, or
   * the global dormancy rule turned off): nothing would ever evaluate them again.
   */
  private void clearOrphans(List<SecurityProfile> current) {
    Set<String> live = new java.util.HashSet<>();
    for (SecurityProfile p : current) {
      p.behaviors().forEach(b -> live.add(p.name() + '\u0000' + b.name()));
    }
    if (settings.dormantAfter().isPresent()) {
      live.add(GLOBAL_PROFILE + '\u0000' + "dormant");
    }
    for (Streak s : streaks.values()) {
      if (s.open != null && !live.contains(s.open.profile() + '\u0000' + s.open.behavior())) {
        alarms.clear(s.open, s.open.value());
        s.open = null;
      }
    }
  }

  private void dormancy(Duration after, Map<String, Instant> registered, Instant now) {
    var behavior =
        new Behavior(
            "dormant",
            MetricNames.SECONDS_SINCE_CONTACT,
            new Criteria(
                ComparisonOperator.LESS_THAN_EQUALS,
                Optional.of((double) after.toSeconds()),
                Optional.empty(),
                Optional.empty(),
                (int) Math.min(3600, Math.max(1, after.toSeconds())),
                1,
                1));
    List<Datapoint> datapoints = new ArrayList<>();
    for (String thing : registered.keySet()) {
      datapoints.add(new Datapoint(thing, secondsSinceContact(thing, registered, now)));
    }
    judge(GLOBAL_PROFILE, behavior, datapoints);
  }

  private Set<String> targets(SecurityProfile profile, Set<String> allThings) {
    Set<String> things = new TreeSet<>();
    for (String target : profile.targets()) {
      if (target.equals(SecurityProfile.ALL_THINGS)) {
        things.addAll(allThings);
      } else if (target.startsWith(SecurityProfile.GROUP_PREFIX)) {
        things.addAll(thingsInGroup.apply(target.substring(SecurityProfile.GROUP_PREFIX.length())));
      }
    }
    return things;
  }

  private List<Double> values(
      String thing,
      Map<String, Instant> registered,
      Behavior behavior,
      Map<String, List<Map<String, Double>>> reports,
      Instant now) {
    String metric = behavior.metric();
    if (MetricNames.deviceSide(metric)) {
      // One datapoint per report, in arrival order: a device that did not report gives none.
      return reports.getOrDefault(thing, List.of()).stream()
          .map(values -> values.get(metric))
          .filter(java.util.Objects::nonNull)
          .toList();
    }
    if (metric.equals(MetricNames.SECONDS_SINCE_CONTACT)) {
      return List.of(secondsSinceContact(thing, registered, now));
    }
    Duration window = Duration.ofSeconds(behavior.criteria().durationSeconds());
    // A thing the hub has not heard from sent and received nothing: that is a datapoint of 0.
    return List.of(history.window(thing, metric, window, now).orElse(0.0));
  }

  /**
   * Since the thing's last connection; one never seen counts from when the hub started or the thing
   * was registered, whichever is later (contact is not remembered across restarts).
   */
  private double secondsSinceContact(String thing, Map<String, Instant> registered, Instant now) {
    Instant created = registered.getOrDefault(thing, started);
    Instant last = cloud.lastContact(thing).orElse(created.isAfter(started) ? created : started);
    return Math.max(0, Duration.between(last, now).toMillis() / 1000.0);
  }

  private void judge(String profile, Behavior behavior, List<Datapoint> datapoints) {
    Criteria criteria = behavior.criteria();
    Optional<Double> fleet =
        criteria.statistic().isPresent() && !datapoints.isEmpty()
            ? Optional.of(percentile(datapoints, criteria.percentile()))
            : Optional.empty();
    for (Datapoint d : datapoints) {
      String key = key(profile, behavior.name(), d.thing());
      double threshold;
      if (criteria.confidence().isPresent()) {
        Baseline baseline = baselines.computeIfAbsent(key, k -> new Baseline());
        if (baseline.count() < settings.learningDatapoints()) {
          // Still learning: the datapoint teaches the baseline and judges nothing.
          baseline.learn(d.value());
          continue;
        }
        threshold = baseline.upperBound(criteria.baselineDeviations());
      } else {
        threshold = fleet.orElseGet(() -> criteria.value().orElseThrow());
      }
      boolean normal = criteria.operator().normal(d.value(), threshold);
      if (normal && criteria.confidence().isPresent()) {
        baselines.get(key).learn(d.value());
      }
      step(key, profile, behavior, d, threshold, normal);
    }
  }

  private void step(
      String key,
      String profile,
      Behavior behavior,
      Datapoint d,
      double threshold,
      boolean normal) {
    Streak s = streaks.computeIfAbsent(key, k -> new Streak());
    Criteria c = behavior.criteria();
    if (normal) {
      s.violations = 0;
      s.normals++;
      if (s.open != null && s.normals >= c.datapointsToClear()) {
        alarms.clear(s.open, d.value());
        log.info(
            "detect alarm cleared thing={} profile={} behavior={}",
            d.thing(),
            profile,
            behavior.name());
        s.open = null;
      }
    } else {
      s.normals = 0;
      s.violations++;
      if (s.open == null && s.violations >= c.datapointsToAlarm()) {
        s.open = alarms.raise(d.thing(), profile, behavior, d.value(), threshold);
        log.warn(
            "detect alarm active thing={} profile={} behavior={} metric={} value={} threshold={}",
            d.thing(),
            profile,
            behavior.name(),
            behavior.metric(),
            d.value(),
            threshold);
      }
    }
  }

  /** Nearest-rank percentile of the fleet's datapoints (p100 is the largest, p0 the smallest). */
  static double percentile(List<Datapoint> datapoints, double p) {
    return percentileOfValues(datapoints.stream().mapToDouble(Datapoint::value).toArray(), p);
  }

  static double percentileOfValues(double[] unsorted, double p) {
    double[] values = unsorted.clone();
    java.util.Arrays.sort(values);
    int rank = (int) Math.ceil(p / 100.0 * values.length);
    return values[Math.max(0, Math.min(values.length - 1, rank - 1))];
  }

  /** The reports that arrived since the last evaluation, per thing, oldest first. */
  private Map<String, List<Map<String, Double>>> drainReports() {
    Map<String, List<Map<String, Double>>> out = new HashMap<>();
    DeviceReport r;
    while ((r = freshReports.poll()) != null) {
      out.computeIfAbsent(r.thing(), t -> new ArrayList<>()).add(r.values());
    }
    return out;
  }

  private static String key(String profile, String behavior, String thing) {
    return profile + '\u0000' + behavior + '\u0000' + thing;
  }
}
