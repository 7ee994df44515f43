package io.mamori.hub.detect;

import io.mamori.hub.events.EventBus;
import io.mamori.hub.metrics.MetricRegistry;
import io.mamori.hub.mqtt.ReservedTopicHandler;
import io.mamori.hub.mqtt.TrafficMeter;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Device Defender Detect, assembled: per-device cloud metrics (fed by the broker's traffic meter
 * and events), the device metrics topic handler, security profiles, alarms, and the scheduler that
 * evaluates them once per period on its own thread.
 */
public final class Detect implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Detect.class);
  // Device reports are kept two weeks (ML Detect's training window, reference §8.3).
  private static final Duration REPORT_RETENTION = Duration.ofDays(14);

  private final CloudMetrics cloud;
  private final SecurityProfiles profiles;
  private final Alarms alarms;
  private final DeviceMetricsHandler handler;
  private final Evaluator evaluator;
  private final DeviceReportRepository reports;
  private final ScheduledExecutorService scheduler;
  private final DetectSettings settings;
  private final Clock clock;

  /**
   * @param registeredThings every registered thing's name and creation time
   * @param thingsInGroup a group's things, nested groups included
   */
  public Detect(
      SecurityProfileRepository profileRepository,
      AlarmRepository alarmRepository,
      DeviceReportRepository reports,
      Supplier<java.util.Map<String, java.time.Instant>> registeredThings,
      Function<String, Set<String>> thingsInGroup,
      java.util.function.Predicate<String> groupExists,
      EventBus events,
      MetricRegistry metrics,
      DetectSettings settings,
      Clock clock) {
    this.settings = settings;
    this.clock = clock;
    this.reports = reports;
    this.cloud = new CloudMetrics(clock);
    events.subscribe(cloud);
    this.profiles = new SecurityProfiles(profileRepository, groupExists, events, clock);
    var transitions =
        metrics
            .labeledCounter(
                "mamori_defender_alarm_transitions_total",
                "Detect alarm changes, by change: ACTIVE, CLEARED, VERIFIED, DISMISSED.",
                "change")
            .withValues("ACTIVE", "CLEARED", "VERIFIED", "DISMISSED");
    this.alarms =
        new Alarms(
            alarmRepository,
            name ->
                profileRepository
                    .find(name)
                    .map(ProfileMitigations::of)
                    .orElse(ProfileMitigations.NONE),
            transitions::increment,
            events,
            clock);
    var fresh = new ConcurrentLinkedQueue<DeviceReport>();
    LongAdder accepted =
        metrics.counter(
            "mamori_defender_device_reports_accepted_total", "Device metrics reports accepted.");
    LongAdder rejected =
        metrics.counter(
            "mamori_defender_device_reports_rejected_total", "Device metrics reports rejected.");
    this.handler =
        new DeviceMetricsHandler(
            report -> {
              reports.add(report);
              fresh.add(report);
            },
            ok -> (ok ? accepted : rejected).increment(),
            clock);
    this.evaluator =
        new Evaluator(
            cloud,
            fresh,
            profiles::list,
            registeredThings,
            thingsInGroup,
            alarms,
            alarmRepository.list(true, Integer.MAX_VALUE),
            settings,
            clock);
    metrics.gauge(
        "mamori_defender_alarms_active",
        "Detect alarms currently active.",
        () -> alarmRepository.list(true, Integer.MAX_VALUE).size());
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "defender-detect");
              t.setDaemon(true);
              return t;
            });
  }

  /** Starts evaluating once per period. */
  public Detect start() {
    long period = settings.evaluationPeriod().toMillis();
    scheduler.scheduleAtFixedRate(this::evaluateSafely, period, period, TimeUnit.MILLISECONDS);
    scheduler.scheduleAtFixedRate(
        () -> reports.prune(clock.instant().minus(REPORT_RETENTION)), 1, 60, TimeUnit.MINUTES);
    log.info(
        "detect started periodMillis={} dormantAfter={}",
        period,
        settings.dormantAfter().map(Duration::toString).orElse("off"));
    return this;
  }

  private void evaluateSafely() {
    try {
      evaluator.evaluate();
    } catch (RuntimeException e) {
      // One bad evaluation must not stop the next: the scheduler cancels a task that throws.
      log.error("detect evaluation failed reason={}", e.toString(), e);
    }
  }

  /** Per-device counting, to combine with the broker-wide meter. */
  public TrafficMeter trafficMeter() {
    return cloud;
  }

  /** The {@code $aws/things/+/defender/metrics/+} handler. */
  public ReservedTopicHandler deviceMetricsHandler() {
    return handler;
  }

  public SecurityProfiles profiles() {
    return profiles;
  }

  public Alarms alarms() {
    return alarms;
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
  }
}
