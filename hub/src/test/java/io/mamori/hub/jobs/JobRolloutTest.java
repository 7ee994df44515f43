package io.mamori.hub.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.mamori.hub.events.HubEvent;
import io.mamori.hub.groups.MembershipListener;
import io.mamori.hub.groups.ThingGroups;
import io.mamori.hub.registry.Thing;
import io.mamori.hub.store.SqliteDatabase;
import io.mamori.hub.store.SqliteJobRepository;
import io.mamori.hub.store.SqliteThingRepository;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rollout rates over a real SQLite file, on a clock the test moves: release, steps, restart. */
class JobRolloutTest {
  private static final int THINGS = 50;

  @TempDir Path dir;
  private SqliteDatabase db;
  private JobService jobs;
  private final List<HubEvent> events = new CopyOnWriteArrayList<>();
  private final List<String> notified = new CopyOnWriteArrayList<>();
  private Instant now = Instant.parse("2026-01-01T00:00:00Z");
  private final Clock clock =
      new Clock() {
        @Override
        public ZoneId getZone() {
          return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
          return this;
        }

        @Override
        public Instant instant() {
          return now;
        }
      };

  @BeforeEach
  void open() {
    db = SqliteDatabase.open(dir.resolve("mamori.db"));
    var things = new SqliteThingRepository(db);
    for (int i = 0; i < THINGS; i++) {
      things.insert(new Thing(thing(i), Optional.empty(), Map.of(), 1, now, now));
    }
    jobs = service();
  }

  private JobService service() {
    ThingGroups groups =
        new ThingGroups() {
          @Override
          public Set<String> thingsIn(String group, boolean recursive) {
            Set<String> all = new java.util.LinkedHashSet<>();
            IntStream.range(0, THINGS).forEach(i -> all.add(thing(i)));
            return all;
          }

          @Override
          public Set<String> groupsOf(String thing) {
            return Set.of("fleet");
          }

          @Override
          public void addListener(MembershipListener listener) {}
        };
    return new JobService(
        new SqliteJobRepository(db),
        new SqliteThingRepository(db),
        groups,
        db,
        events::add,
        (topic, payload) -> {
          if (topic.endsWith("/notify-next")) {
            JsonNode body = read(payload);
            if (body.has("execution")) {
              notified.add(topic.split("/")[2]);
            }
          }
        },
        clock);
  }

  private static JsonNode read(byte[] payload) {
    try {
      return JobJson.JSON.readTree(payload);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @AfterEach
  void close() {
    db.close();
  }

  private static String thing(int i) {
    return String.format("t%03d", i);
  }

  private void create(String id, RolloutConfig rollout, List<AbortCriterion> abort) {
    jobs.create(
        id,
        "",
        JobJson.JSON.createObjectNode().put("operation", "x"),
        new JobTargets(Set.of(), Set.of("fleet")),
        TargetSelection.SNAPSHOT,
        abort,
        Optional.empty(),
        rollout,
        "admin");
  }

  private void advance(Duration by) {
    now = now.plus(by);
  }

  private static RolloutConfig perMinute(int n) {
    return new RolloutConfig(n, Optional.empty());
  }

  @Test
  void executionsBeyondTheRateStayQueuedAndUnseenUntilTheNextWindow() {
    create("j", perMinute(20), List.of());
    assertThat(notified).hasSize(20);
    long visible =
        IntStream.range(0, THINGS).filter(i -> !jobs.pending(thing(i)).isEmpty()).count();
    assertThat(visible).isEqualTo(20);
    assertThat(jobs.describe("j").counts().get(ExecutionStatus.QUEUED)).isEqualTo(THINGS);
    // A held-back execution does not exist for its device yet: no describe, no update by job id.
    String heldBack = thing(THINGS - 1);
    assertThat(jobs.pending(heldBack)).isEmpty();
    assertThatThrownBy(() -> jobs.describeExecution(heldBack, "j", Optional.empty()))
        .isInstanceOf(JobRejection.class)
        .hasMessageContaining("not found");
    assertThatThrownBy(
            () ->
                jobs.update(
                    heldBack,
                    "j",
                    new UpdateRequest(
                        ExecutionStatus.IN_PROGRESS,
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty(),
                        false,
                        false,
                        Optional.empty())))
        .isInstanceOf(JobRejection.class)
        .hasMessageContaining("not found");

    advance(Duration.ofSeconds(59));
    assertThat(jobs.releaseDue()).isZero(); // still inside the first window
    advance(Duration.ofSeconds(1));
    assertThat(jobs.releaseDue()).isEqualTo(20);
    assertThat(jobs.releaseDue()).isZero();
    advance(Duration.ofSeconds(60));
    assertThat(jobs.releaseDue()).isEqualTo(10);
    assertThat(notified).hasSize(THINGS).doesNotHaveDuplicates();
    assertThat(jobs.describe("j").releasedAt()).hasSize(THINGS);
  }

  @Test
  void theWindowSlidesSoNoSixtySecondsNotifyMoreThanTheRate() {
    create("j", perMinute(20), List.of());
    for (int s = 0; s < 200; s += 7) {
      advance(Duration.ofSeconds(7));
      jobs.releaseDue();
    }
    List<Long> times = jobs.describe("j").releasedAt().values().stream().sorted().toList();
    assertThat(times).hasSize(THINGS);
    for (long t : times) {
      long inWindow = times.stream().filter(x -> x > t - 60_000 && x <= t).count();
      assertThat(inWindow).isLessThanOrEqualTo(20);
    }
  }

  @Test
  void anExponentialRateStepsUpOncePerWindowWhenItsCriterionIsMet() {
    var rate = new RolloutConfig.ExponentialRate(4, 2.0, Optional.of(4L), Optional.empty());
    create("j", new RolloutConfig(30, Optional.of(rate)), List.of());
    assertThat(notified).hasSize(4);
    List<Integer> perWindow = new java.util.ArrayList<>();
    for (int w = 0; w < 4; w++) {
      advance(Duration.ofSeconds(60));
      perWindow.add(jobs.releaseDue());
    }
    // 4, then 8, 16, capped at 30 by maximumPerMinute, until the 50 things are reached.
    assertThat(perWindow).containsExactly(8, 16, 22, 0);
    assertThat(jobs.describe("j").rollout().orElseThrow().ratePerMinute()).isEqualTo(30);
  }

  @Test
  void aSucceededCriterionWaitsForDevicesToSucceed() {
    var rate = new RolloutConfig.ExponentialRate(5, 3.0, Optional.empty(), Optional.of(5L));
    create("j", new RolloutConfig(1000, Optional.of(rate)), List.of());
    advance(Duration.ofSeconds(60));
    assertThat(jobs.releaseDue()).isEqualTo(5); // nobody succeeded: still 5 per minute
    for (String thing : List.copyOf(notified).subList(0, 5)) {
      jobs.startNext(thing, Optional.empty());
      jobs.update(
          thing,
          "j",
          new UpdateRequest(
              ExecutionStatus.SUCCEEDED,
              Optional.empty(),
              Optional.empty(),
              Optional.empty(),
              false,
              false,
              Optional.empty()));
    }
    advance(Duration.ofSeconds(60));
    assertThat(jobs.releaseDue()).isEqualTo(15);
    assertThat(events).anyMatch(e -> e.type().equals("job.execution.succeeded"));
  }

  @Test
  void aRestartedServiceContinuesTheRolloutWhereItStood() {
    var rate = new RolloutConfig.ExponentialRate(5, 2.0, Optional.of(5L), Optional.empty());
    create("j", new RolloutConfig(1000, Optional.of(rate)), List.of());
    advance(Duration.ofSeconds(60));
    assertThat(jobs.releaseDue()).isEqualTo(10);
    db.close();
    db = SqliteDatabase.open(dir.resolve("mamori.db"));
    jobs = service();
    assertThat(jobs.releaseDue()).isZero(); // the window still holds its 10
    advance(Duration.ofSeconds(60));
    assertThat(jobs.releaseDue()).isEqualTo(20);
  }

  @Test
  void anAbortCancelsHeldBackExecutionsWithoutNotifyingThem() {
    create(
        "j", perMinute(10), List.of(new AbortCriterion(AbortCriterion.FailureType.FAILED, 4, 50)));
    for (String thing : List.copyOf(notified).subList(0, 4)) {
      jobs.startNext(thing, Optional.empty());
      jobs.update(
          thing,
          "j",
          new UpdateRequest(
              ExecutionStatus.FAILED,
              Optional.of(Map.of("reason", "test")),
              Optional.empty(),
              Optional.empty(),
              false,
              false,
              Optional.empty()));
    }
    JobDescription d = jobs.describe("j");
    assertThat(d.job().status()).isEqualTo(JobStatus.CANCELED);
    assertThat(d.counts().get(ExecutionStatus.CANCELED)).isEqualTo(THINGS - 4);
    advance(Duration.ofSeconds(60));
    assertThat(jobs.releaseDue()).isZero();
    assertThat(notified).hasSize(10);
    assertThat(events).extracting(HubEvent::type).contains("job.aborted", "job.execution.failed");
  }

  @Test
  void deletingNeedsForceWhileInProgressAndTellsDevices() {
    create("j", perMinute(10), List.of());
    assertThatThrownBy(() -> jobs.delete("j", false, "admin"))
        .isInstanceOf(JobException.class)
        .hasMessageContaining("IN_PROGRESS");
    notified.clear();
    jobs.delete("j", true, "admin");
    assertThat(jobs.list()).isEmpty();
    assertThat(jobs.pending(thing(0))).isEmpty();
    assertThat(events).extracting(HubEvent::type).contains("job.created", "job.deleted");
    assertThatThrownBy(() -> jobs.describe("j")).isInstanceOf(JobException.class);
  }

  @Test
  void badRolloutValuesAreRefusedWithTheReason() {
    assertThatThrownBy(() -> perMinute(0)).hasMessageContaining("maximumPerMinute must be 1..1000");
    assertThatThrownBy(() -> perMinute(1001)).hasMessageContaining("1..1000");
    assertThatThrownBy(
            () -> new RolloutConfig.ExponentialRate(10, 1.05, Optional.of(1L), Optional.empty()))
        .hasMessageContaining("incrementFactor");
    assertThatThrownBy(
            () -> new RolloutConfig.ExponentialRate(10, 1.25, Optional.of(1L), Optional.empty()))
        .hasMessageContaining("one decimal");
    assertThatThrownBy(
            () -> new RolloutConfig.ExponentialRate(10, 2, Optional.empty(), Optional.empty()))
        .hasMessageContaining("rateIncreaseCriteria");
    var rate = new RolloutConfig.ExponentialRate(100, 2, Optional.of(1L), Optional.empty());
    assertThatThrownBy(() -> new RolloutConfig(50, Optional.of(rate)))
        .hasMessageContaining("must not exceed maximumPerMinute");
    assertThatThrownBy(() -> RolloutJson.parse(JobJson.JSON.readTree("{\"maximumPerMinut\": 5}")))
        .hasMessageContaining("no field maximumPerMinut");
    assertThatThrownBy(
            () -> RolloutJson.parse(JobJson.JSON.readTree("{\"maximumPerMinute\": 2.5}")))
        .hasMessageContaining("maximumPerMinute must be an integer");
  }

  @Test
  void theAwsJsonShapeRoundTrips() throws Exception {
    String text =
        "{\"maximumPerMinute\":100,\"exponentialRate\":{\"baseRatePerMinute\":10,"
            + "\"incrementFactor\":1.5,\"rateIncreaseCriteria\":{\"numberOfSucceededThings\":20}}}";
    RolloutConfig parsed = RolloutJson.parse(JobJson.JSON.readTree(text));
    assertThat(RolloutJson.write(parsed).toString()).isEqualTo(text);
    assertThat(RolloutJson.parse(null)).isEqualTo(RolloutConfig.DEFAULT);
  }
}
