package io.mamori.hub.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mamori.hub.events.HubEvent;
import io.mamori.hub.groups.MembershipChange;
import io.mamori.hub.groups.MembershipListener;
import io.mamori.hub.groups.ThingGroups;
import io.mamori.hub.registry.RegistryException;
import io.mamori.hub.registry.Thing;
import io.mamori.hub.store.SqliteDatabase;
import io.mamori.hub.store.SqliteJobRepository;
import io.mamori.hub.store.SqliteThingRepository;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Jobs over a real SQLite file: executions, transitions, versions, notify events, cancel. */
class JobServiceTest {
  @TempDir Path dir;
  private SqliteDatabase db;
  private JobService jobs;
  private final List<HubEvent> events = new CopyOnWriteArrayList<>();
  private final List<Map.Entry<String, JsonNode>> published = new CopyOnWriteArrayList<>();
  private final Map<String, Set<String>> members = new HashMap<>();
  private Instant now = Instant.parse("2026-01-01T00:00:00Z");

  @BeforeEach
  void open() {
    db = SqliteDatabase.open(dir.resolve("mamori.db"));
    var things = new SqliteThingRepository(db);
    for (String name : List.of("a", "b", "c", "d")) {
      things.insert(new Thing(name, Optional.empty(), Map.of(), 1, now, now));
    }
    members.put("g", Set.of("b", "c"));
    ThingGroups groups =
        new ThingGroups() {
          @Override
          public Set<String> thingsIn(String group, boolean recursive) {
            if (!members.containsKey(group)) {
              throw RegistryException.notFound("group " + group);
            }
            return members.get(group);
          }

          @Override
          public Set<String> groupsOf(String thing) {
            Set<String> of = new java.util.HashSet<>();
            members.forEach(
                (g, m) -> {
                  if (m.contains(thing)) {
                    of.add(g);
                  }
                });
            return of;
          }

          @Override
          public void addListener(MembershipListener listener) {}
        };
    Clock clock =
        new Clock() {
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
        };
    jobs =
        new JobService(
            new SqliteJobRepository(db),
            things,
            groups,
            db,
            events::add,
            (topic, payload) -> {
              try {
                published.add(Map.entry(topic, JobJson.JSON.readTree(payload)));
              } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
              }
            },
            clock);
  }

  @AfterEach
  void close() {
    db.close();
  }

  private static ObjectNode doc(String version) {
    return JobJson.JSON.createObjectNode().put("operation", "update").put("version", version);
  }

  private Job create(String id, TargetSelection selection, String... targets) {
    return jobs.create(
        id,
        "",
        doc(id),
        JobTargets.parse(List.of(targets)),
        selection,
        List.of(),
        Optional.empty(),
        "admin");
  }

  private List<String> topics() {
    return published.stream().map(Map.Entry::getKey).toList();
  }

  private static UpdateRequest update(ExecutionStatus status, Long expectedVersion) {
    return new UpdateRequest(
        status,
        Optional.of(Map.of("step", "done")),
        Optional.ofNullable(expectedVersion),
        Optional.empty(),
        true,
        false,
        Optional.empty());
  }

  @Test
  void createQueuesThingsAndGroupMembersAndNotifiesEach() {
    create("j1", TargetSelection.SNAPSHOT, "a", "group:g");

    assertThat(jobs.describe("j1").counts().get(ExecutionStatus.QUEUED)).isEqualTo(3);
    assertThat(topics())
        .contains(
            "$aws/things/a/jobs/notify",
            "$aws/things/a/jobs/notify-next",
            "$aws/things/b/jobs/notify-next",
            "$aws/things/c/jobs/notify-next");
    JsonNode next =
        published.stream()
            .filter(m -> m.getKey().equals("$aws/things/a/jobs/notify-next"))
            .findFirst()
            .orElseThrow()
            .getValue();
    assertThat(next.path("execution").path("jobId").asText()).isEqualTo("j1");
    assertThat(next.path("execution").path("jobDocument").path("version").asText()).isEqualTo("j1");
    assertThat(next.path("execution").path("status").asText()).isEqualTo("QUEUED");
    assertThat(next.path("timestamp").asLong()).isEqualTo(now.getEpochSecond());
    assertThat(events).anyMatch(e -> e.type().equals("job.created"));
  }

  @Test
  void unknownTargetsAndBadIdsAreRefused() {
    assertThatThrownBy(() -> create("j1", TargetSelection.SNAPSHOT, "nobody"))
        .isInstanceOf(JobException.class)
        .hasMessageContaining("nobody");
    assertThatThrownBy(() -> create("j1", TargetSelection.SNAPSHOT, "group:none"))
        .hasMessageContaining("none");
    assertThatThrownBy(() -> create("bad id", TargetSelection.SNAPSHOT, "a"))
        .hasMessageContaining("jobId");
    create("j1", TargetSelection.SNAPSHOT, "a");
    assertThatThrownBy(() -> create("j1", TargetSelection.SNAPSHOT, "a"))
        .isInstanceOfSatisfying(
            JobException.class, e -> assertThat(e.kind()).isEqualTo(JobException.Kind.CONFLICT));
    assertThat(jobs.list()).hasSize(1);
  }

  @Test
  void startNextUpdateAndSnapshotCompletion() {
    create("j1", TargetSelection.SNAPSHOT, "a");
    now = now.plusSeconds(10);
    ExecutionView started =
        jobs.startNext("a", Optional.of(Map.of("phase", "download"))).orElseThrow();
    assertThat(started.execution().status()).isEqualTo(ExecutionStatus.IN_PROGRESS);
    assertThat(started.execution().versionNumber()).isEqualTo(2);
    assertThat(started.execution().startedAt()).contains(now.getEpochSecond());
    assertThat(started.jobDocument().path("version").asText()).isEqualTo("j1");

    // start-next again keeps the IN_PROGRESS one and its details
    ExecutionView again = jobs.startNext("a", Optional.of(Map.of("phase", "other"))).orElseThrow();
    assertThat(again.execution().statusDetails()).containsEntry("phase", "download");
    assertThat(again.execution().versionNumber()).isEqualTo(2);

    published.clear();
    ExecutionView done = jobs.update("a", "j1", update(ExecutionStatus.SUCCEEDED, 2L));
    assertThat(done.execution().status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(done.execution().versionNumber()).isEqualTo(3);
    assertThat(jobs.describe("j1").job().status()).isEqualTo(JobStatus.COMPLETED);
    assertThat(topics())
        .containsExactly("$aws/things/a/jobs/notify", "$aws/things/a/jobs/notify-next");
    assertThat(published.get(1).getValue().has("execution")).isFalse();
    assertThat(jobs.startNext("a", Optional.empty())).isEmpty();
  }

  @Test
  void versionMismatchAndTerminalTransitionsAreRejectedWithState() {
    create("j1", TargetSelection.SNAPSHOT, "a");
    assertThatThrownBy(() -> jobs.update("a", "j1", update(ExecutionStatus.IN_PROGRESS, 7L)))
        .isInstanceOfSatisfying(
            JobRejection.class,
            e -> {
              assertThat(e.code()).isEqualTo("VersionMismatch");
              assertThat(e.executionState().orElseThrow().versionNumber()).isEqualTo(1);
            });
    jobs.update("a", "j1", update(ExecutionStatus.FAILED, 1L));
    assertThatThrownBy(() -> jobs.update("a", "j1", update(ExecutionStatus.IN_PROGRESS, null)))
        .isInstanceOfSatisfying(
            JobRejection.class,
            e -> {
              assertThat(e.code()).isEqualTo("InvalidStateTransition");
              assertThat(e.executionState().orElseThrow().status())
                  .isEqualTo(ExecutionStatus.FAILED);
            });
    assertThatThrownBy(() -> jobs.update("b", "j1", update(ExecutionStatus.SUCCEEDED, null)))
        .isInstanceOfSatisfying(
            JobRejection.class, e -> assertThat(e.code()).isEqualTo("ResourceNotFound"));
    assertThatThrownBy(() -> jobs.describeExecution("a", "j1", Optional.empty()))
        .isInstanceOfSatisfying(
            JobRejection.class, e -> assertThat(e.code()).isEqualTo("TerminalStateReached"));
  }

  @Test
  void nextIsInProgressFirstThenOldestQueued() {
    create("j1", TargetSelection.SNAPSHOT, "a");
    now = now.plusSeconds(1);
    create("j2", TargetSelection.SNAPSHOT, "a");
    assertThat(
            jobs.describeExecution("a", JobService.NEXT, Optional.empty())
                .orElseThrow()
                .execution()
                .jobId())
        .isEqualTo("j1");
    jobs.update("a", "j2", update(ExecutionStatus.IN_PROGRESS, null));
    assertThat(
            jobs.describeExecution("a", JobService.NEXT, Optional.empty())
                .orElseThrow()
                .execution()
                .jobId())
        .isEqualTo("j2");
    assertThat(jobs.pending("a")).extracting(JobExecution::jobId).containsExactly("j1", "j2");
  }

  @Test
  void cancelCancelsQueuedAndWithForceInProgress() {
    create("j1", TargetSelection.SNAPSHOT, "a", "b");
    create("j2", TargetSelection.SNAPSHOT, "a", "b");
    jobs.startNext("a", Optional.empty());
    published.clear();
    jobs.cancel("j1", false, "admin");
    var counts = jobs.describe("j1").counts();
    assertThat(counts.get(ExecutionStatus.IN_PROGRESS)).isEqualTo(1);
    assertThat(counts.get(ExecutionStatus.CANCELED)).isEqualTo(1);
    // b's next job moved from j1 to j2; a keeps working on j1
    assertThat(topics())
        .containsExactly("$aws/things/b/jobs/notify", "$aws/things/b/jobs/notify-next");
    assertThat(published.get(1).getValue().path("execution").path("jobId").asText())
        .isEqualTo("j2");
    assertThatThrownBy(() -> jobs.cancel("j1", true, "admin"))
        .isInstanceOfSatisfying(
            JobException.class, e -> assertThat(e.kind()).isEqualTo(JobException.Kind.CONFLICT));

    published.clear();
    jobs.cancel("j2", true, "admin");
    assertThat(jobs.describe("j2").counts().get(ExecutionStatus.CANCELED)).isEqualTo(2);
    assertThat(jobs.describe("j2").job().forceCanceled()).isTrue();
    jobs.update("a", "j1", update(ExecutionStatus.SUCCEEDED, null));
    assertThat(jobs.describe("j1").job().status()).isEqualTo(JobStatus.CANCELED);
  }

  @Test
  void continuousJobFollowsGroupMembership() {
    create("j1", TargetSelection.CONTINUOUS, "group:g");
    assertThat(jobs.describe("j1").executions()).hasSize(2);
    members.put("g", Set.of("a", "b", "c"));
    jobs.membershipChanged(new MembershipChange("a", Set.of("g"), Set.of()));
    assertThat(jobs.describe("j1").executions())
        .extracting(JobExecution::thingName)
        .containsExactly("a", "b", "c");

    members.put("g", Set.of("b", "c"));
    jobs.membershipChanged(new MembershipChange("a", Set.of(), Set.of("g")));
    assertThat(jobs.describe("j1").counts().get(ExecutionStatus.REMOVED)).isEqualTo(1);
    assertThat(jobs.pending("a")).isEmpty();

    members.put("g", Set.of("a", "b", "c"));
    jobs.membershipChanged(new MembershipChange("a", Set.of("g"), Set.of()));
    JobExecution again = jobs.pending("a").get(0);
    assertThat(again.executionNumber()).isEqualTo(2);
    assertThat(again.status()).isEqualTo(ExecutionStatus.QUEUED);
    assertThat(jobs.describe("j1").job().status()).isEqualTo(JobStatus.IN_PROGRESS);
  }

  @Test
  void snapshotJobIgnoresLaterMembers() {
    create("j1", TargetSelection.SNAPSHOT, "group:g");
    members.put("g", Set.of("a", "b", "c"));
    jobs.membershipChanged(new MembershipChange("a", Set.of("g"), Set.of()));
    assertThat(jobs.pending("a")).isEmpty();
    assertThat(new ArrayList<>(jobs.describe("j1").executions())).hasSize(2);
  }

  @Test
  void anAbortRuleCancelsQueuedExecutionsOnceReachedAndLeavesStartedOnes() {
    jobs.create(
        "j1",
        "",
        doc("j1"),
        JobTargets.parse(List.of("a", "b", "c", "d")),
        TargetSelection.SNAPSHOT,
        List.of(new AbortCriterion(AbortCriterion.FailureType.FAILED, 2, 50)),
        Optional.empty(),
        "admin");
    jobs.startNext("c", Optional.empty());
    jobs.update("a", "j1", update(ExecutionStatus.FAILED, null));
    // one finished execution is below the minimum of two: nothing happens yet
    assertThat(jobs.describe("j1").job().status()).isEqualTo(JobStatus.IN_PROGRESS);
    assertThat(jobs.pending("d")).hasSize(1);

    published.clear();
    jobs.update("b", "j1", update(ExecutionStatus.SUCCEEDED, null));
    JobDescription after = jobs.describe("j1");
    assertThat(after.job().status()).isEqualTo(JobStatus.CANCELED);
    assertThat(after.counts().get(ExecutionStatus.CANCELED)).isEqualTo(1);
    assertThat(after.counts().get(ExecutionStatus.IN_PROGRESS)).isEqualTo(1);
    assertThat(jobs.pending("d")).isEmpty();
    assertThat(topics()).contains("$aws/things/d/jobs/notify-next");
    assertThat(events).anyMatch(e -> e.type().equals("job.aborted"));
    // the started execution may still finish
    jobs.update("c", "j1", update(ExecutionStatus.SUCCEEDED, null));
    assertThat(jobs.describe("j1").counts().get(ExecutionStatus.SUCCEEDED)).isEqualTo(2);
  }

  @Test
  void abortRulesCountOnlyTheirFailureTypeAndValidate() {
    var counts = new java.util.EnumMap<ExecutionStatus, Long>(ExecutionStatus.class);
    counts.put(ExecutionStatus.REJECTED, 3L);
    counts.put(ExecutionStatus.SUCCEEDED, 7L);
    counts.put(ExecutionStatus.QUEUED, 90L);
    assertThat(new AbortCriterion(AbortCriterion.FailureType.FAILED, 1, 10).reached(counts))
        .isFalse();
    assertThat(new AbortCriterion(AbortCriterion.FailureType.REJECTED, 10, 30).reached(counts))
        .isTrue();
    assertThat(new AbortCriterion(AbortCriterion.FailureType.ALL, 10, 31).reached(counts))
        .isFalse();
    assertThat(new AbortCriterion(AbortCriterion.FailureType.ALL, 11, 1).reached(counts)).isFalse();
    assertThatThrownBy(() -> new AbortCriterion(AbortCriterion.FailureType.ALL, 0, 10))
        .isInstanceOf(JobException.class);
    assertThatThrownBy(() -> new AbortCriterion(AbortCriterion.FailureType.ALL, 1, 0))
        .isInstanceOf(JobException.class);
  }

  @Test
  void anExecutionInProgressTooLongTimesOutAndThenStaysFinal() {
    jobs.create(
        "j1",
        "",
        doc("j1"),
        JobTargets.parse(List.of("a", "b")),
        TargetSelection.SNAPSHOT,
        List.of(),
        Optional.of(10L),
        "admin");
    create("j2", TargetSelection.SNAPSHOT, "c");
    jobs.startNext("a", Optional.empty());
    jobs.startNext("c", Optional.empty());
    now = now.plusSeconds(9 * 60 + 59);
    assertThat(jobs.timeOutExpired()).isZero();

    published.clear();
    now = now.plusSeconds(1);
    assertThat(jobs.timeOutExpired()).isEqualTo(1);
    JobDescription j1 = jobs.describe("j1");
    assertThat(j1.counts().get(ExecutionStatus.TIMED_OUT)).isEqualTo(1);
    assertThat(j1.counts().get(ExecutionStatus.QUEUED)).isEqualTo(1); // b never started its timer
    assertThat(topics()).contains("$aws/things/a/jobs/notify-next");
    assertThatThrownBy(() -> jobs.update("a", "j1", update(ExecutionStatus.SUCCEEDED, null)))
        .isInstanceOfSatisfying(
            JobRejection.class, e -> assertThat(e.code()).isEqualTo("InvalidStateTransition"));

    // j2 has no timeout: its execution runs as long as the device needs
    now = now.plusSeconds(7 * 24 * 3600);
    assertThat(jobs.timeOutExpired()).isZero();
    assertThat(jobs.pending("c"))
        .extracting(JobExecution::status)
        .containsExactly(ExecutionStatus.IN_PROGRESS);

    assertThatThrownBy(
            () ->
                jobs.create(
                    "j3",
                    "",
                    doc("j3"),
                    JobTargets.parse(List.of("a")),
                    TargetSelection.SNAPSHOT,
                    List.of(),
                    Optional.of(0L),
                    "admin"))
        .hasMessageContaining("inProgressTimeoutInMinutes");
  }
}
