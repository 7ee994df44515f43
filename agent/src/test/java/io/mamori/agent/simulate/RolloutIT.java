package io.mamori.agent.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mamori.agent.cli.AgentMain;
import io.mamori.agent.connection.Endpoint;
import io.mamori.agent.credentials.DeviceCredentials;
import io.mamori.hub.events.HubEvent;
import io.mamori.hub.it.HubFixture;
import io.mamori.hub.it.MovableClock;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Staged rollouts to 200 simulated devices over real sockets: each device provisioned by claim with
 * its own certificate, all on the simulator's shared event loop, against a real hub whose clock the
 * test moves forward a rollout window at a time. The rate limit is checked on the hub's own record
 * of when each execution was released to its device.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RolloutIT {
  private static final int DEVICES = 200;
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final String CLAIM =
      """
      {"Version": "2012-10-17", "Statement": [
       {"Effect": "Allow", "Action": "iot:Connect", "Resource": "*"},
       {"Effect": "Allow", "Action": ["iot:Publish", "iot:Receive"],
        "Resource": ["arn:aws:iot:*:*:topic/$aws/certificates/create-from-csr/*",
                     "arn:aws:iot:*:*:topic/$aws/provisioning-templates/fleet/provision/*"]},
       {"Effect": "Allow", "Action": "iot:Subscribe",
        "Resource": ["arn:aws:iot:*:*:topicfilter/$aws/certificates/create-from-csr/*",
                     "arn:aws:iot:*:*:topicfilter/$aws/provisioning-templates/fleet/provision/*"]}]}
      """;

  /** A device may use its own jobs topics only. */
  private static final String DEVICE =
      """
      {"Version": "2012-10-17", "Statement": [
       {"Effect": "Allow", "Action": "iot:Connect",
        "Resource": "arn:aws:iot:*:*:client/${iot:Connection.Thing.ThingName}"},
       {"Effect": "Allow", "Action": ["iot:Publish", "iot:Receive"],
        "Resource": "arn:aws:iot:*:*:topic/$aws/things/${iot:Connection.Thing.ThingName}/jobs/*"},
       {"Effect": "Allow", "Action": "iot:Subscribe",
        "Resource": "arn:aws:iot:*:*:topicfilter/$aws/things/${iot:Connection.Thing.ThingName}/jobs/*"}]}
      """;

  /** Every provisioned device joins the static group {@code simulated}. */
  private static final String TEMPLATE =
      """
      {"Parameters": {"SerialNumber": {"Type": "String"}},
       "Resources": {
        "certificate": {"Type": "AWS::IoT::Certificate",
           "Properties": {"CertificateId": {"Ref": "AWS::IoT::Certificate::Id"}, "Status": "Active"}},
        "policy": {"Type": "AWS::IoT::Policy", "Properties": {"PolicyName": "device"}},
        "thing": {"Type": "AWS::IoT::Thing",
           "Properties": {"ThingName": {"Ref": "SerialNumber"}, "ThingGroups": ["simulated"]}}}}
      """;

  private Path dir;
  private final MovableClock clock = new MovableClock();
  private final List<HubEvent> events = new CopyOnWriteArrayList<>();
  private HubFixture hub;
  private SimulatedFleet fleet;
  private List<String> things;

  @BeforeAll
  void startHubAndProvisionTheFleet(@TempDir Path tempDir) throws Exception {
    dir = tempDir;
    hub = new HubFixture(dir.resolve("hub")).withClock(clock).start();
    hub.hub().events().subscribe(events::add);
    Path certs = dir.resolve("certs");
    assertThat(hub.createPolicy("claim", CLAIM).exitCode()).isZero();
    assertThat(hub.createPolicy("device", DEVICE).exitCode()).isZero();
    hub.issueDevice("claim", "claim", certs);
    assertThat(hub.cli("thing", "delete", "claim").exitCode()).isZero();
    assertThat(hub.cli("group", "create", "simulated").exitCode()).isZero();
    Path template = dir.resolve("fleet.json");
    Files.writeString(template, TEMPLATE);
    var created =
        hub.cli("template", "create", "fleet", "--document", template.toString(), "--enabled");
    assertThat(created.exitCode()).as(created.err()).isZero();
    things = newFleet().provision(line -> {});
    assertThat(things).hasSize(DEVICES).doesNotHaveDuplicates();
  }

  private SimulatedFleet newFleet() {
    Path certs = dir.resolve("certs");
    return new SimulatedFleet(
        new SimulatedFleet.Settings(
            new Endpoint("localhost", hub.mqttPort()),
            new DeviceCredentials(
                certs.resolve("claim.crt"), certs.resolve("claim.key"), certs.resolve("ca.crt")),
            "fleet",
            "sim-",
            DEVICES,
            dir.resolve("state"),
            2,
            Duration.ofSeconds(60)));
  }

  private SimulatedFleet connectFleet(double failureRate) {
    fleet = newFleet();
    fleet.connect(things, new Outcomes(failureRate, 0));
    return fleet;
  }

  @AfterEach
  void closeFleet() {
    if (fleet != null) {
      fleet.close();
      fleet = null;
    }
  }

  @AfterAll
  void stopHub() {
    if (hub != null) {
      hub.close();
    }
  }

  private void createJob(String jobId, String... options) throws Exception {
    Path document = dir.resolve(jobId + ".json");
    Files.writeString(document, "{\"operation\": \"update\", \"version\": \"" + jobId + "\"}");
    List<String> args =
        new ArrayList<>(
            List.of(
                "job",
                "create",
                jobId,
                "--document",
                document.toString(),
                "--targets",
                "group:simulated"));
    args.addAll(List.of(options));
    var result = hub.cli(args.toArray(String[]::new));
    assertThat(result.exitCode()).as(result.err()).isZero();
  }

  private JsonNode describe(String jobId) throws Exception {
    var result = hub.cli("job", "describe", jobId, "--json");
    assertThat(result.exitCode()).as(result.err()).isZero();
    return JSON.readTree(result.out());
  }

  private long count(String jobId, String status) throws Exception {
    return describe(jobId).path("executionCounts").path(status).asLong();
  }

  /** The hub's release times of the job's executions, oldest first. */
  private List<Long> releaseTimeline(String jobId) throws Exception {
    List<Long> times = new ArrayList<>();
    for (JsonNode e : describe(jobId).path("executions")) {
      if (e.has("notifiedAtMillis")) {
        times.add(e.get("notifiedAtMillis").asLong());
      }
    }
    times.sort(null);
    return times;
  }

  /** The most executions released within any 60 s window (t - 60 s, t]. */
  private static long busiestWindow(List<Long> times) {
    long most = 0;
    for (long t : times) {
      most = Math.max(most, times.stream().filter(x -> x > t - 60_000 && x <= t).count());
    }
    return most;
  }

  /** How many executions each release instant let go, in time order. */
  private static List<Long> batches(List<Long> times) {
    Map<Long, Long> byInstant = new TreeMap<>();
    times.forEach(t -> byInstant.merge(t, 1L, Long::sum));
    return List.copyOf(byInstant.values());
  }

  private void deleteJob(String jobId) {
    var deleted = hub.cli("job", "delete", jobId);
    assertThat(deleted.exitCode()).as(deleted.err()).isZero();
    assertThat(hub.cli("job", "describe", jobId).exitCode()).isNotZero();
  }

  @Test
  void aRolloutToTwoHundredDevicesNeverNotifiesMoreThanItsRatePerMinute() throws Exception {
    SimulatedFleet devices = connectFleet(0);
    createJob("rate-50", "--max-per-minute", "50");
    await().atMost(Duration.ofSeconds(60)).until(() -> devices.stats().summary().succeeded() == 50);
    // Held back: QUEUED at the hub, and never seen by the other 150 devices.
    JsonNode first = describe("rate-50");
    long notified = first.path("rollout").path("notified").asLong();
    assertThat(devices.stats().summary().notifications()).isEqualTo(notified);
    assertThat(first.path("executionCounts").path("QUEUED").asLong()).isEqualTo(DEVICES - notified);

    for (int window = 1; devices.stats().summary().succeeded() < DEVICES; window++) {
      assertThat(window).as("windows needed").isLessThanOrEqualTo(4);
      long before = devices.stats().summary().succeeded();
      clock.advance(Duration.ofSeconds(60));
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> devices.stats().summary().succeeded() >= Math.min(DEVICES, before + 50));
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> count("rate-50", "SUCCEEDED") == DEVICES);
    assertThat(describe("rate-50").path("status").asText()).isEqualTo("COMPLETED");
    List<Long> timeline = releaseTimeline("rate-50");
    assertThat(timeline).hasSize(DEVICES);
    assertThat(busiestWindow(timeline)).isLessThanOrEqualTo(50);
    assertThat(batches(timeline)).containsExactly(50L, 50L, 50L, 50L);
    assertThat(devices.stats().summary().notifications()).isEqualTo(DEVICES);
    assertThat(events).filteredOn(e -> e.type().equals("job.execution.succeeded")).hasSize(DEVICES);
    assertThat(events).anyMatch(e -> e.type().equals("job.completed"));
    deleteJob("rate-50");
  }

  @Test
  void aThirtyPercentFailureRateAbortsAtTheThresholdAndCancelsTheRest() throws Exception {
    SimulatedFleet devices = connectFleet(0.3);
    createJob("abort-30", "--max-per-minute", "50", "--abort", "FAILED:25:20");
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              JsonNode job = describe("abort-30");
              return job.path("status").asText().equals("CANCELED")
                  && job.path("executionCounts").path("QUEUED").asLong() == 0
                  && job.path("executionCounts").path("IN_PROGRESS").asLong() == 0;
            });
    JsonNode job = describe("abort-30");
    long succeeded = job.path("executionCounts").path("SUCCEEDED").asLong();
    long failed = job.path("executionCounts").path("FAILED").asLong();
    long canceled = job.path("executionCounts").path("CANCELED").asLong();
    assertThat(succeeded + failed).isBetween(20L, 50L); // only the first window was notified
    assertThat(failed * 100.0 / (succeeded + failed)).isGreaterThanOrEqualTo(20.0);
    assertThat(canceled).isEqualTo(DEVICES - succeeded - failed);
    assertThat(events)
        .filteredOn(e -> e.type().equals("job.aborted") && e.subject().equals("abort-30"))
        .singleElement()
        .satisfies(e -> assertThat(e.details()).containsEntry("thresholdPercentage", "25.0"));
    // The canceled executions are never released, however much time passes.
    clock.advance(Duration.ofMinutes(10));
    assertThat(releaseTimeline("abort-30")).hasSizeLessThanOrEqualTo(50);
    assertThat(devices.stats().summary().notifications()).isLessThanOrEqualTo(50);
    assertThat(events).anyMatch(e -> e.type().equals("job.execution.failed"));
    deleteJob("abort-30");
  }

  @Test
  void anExponentialRateDoublesEachWindowOnceItsCriterionIsMet() throws Exception {
    SimulatedFleet devices = connectFleet(0);
    createJob(
        "exp-10",
        "--base-rate",
        "10",
        "--increment-factor",
        "2",
        "--increase-after-notified",
        "10");
    long[] cumulative = {10, 30, 70, 150, 200};
    for (int w = 0; w < cumulative.length; w++) {
      if (w > 0) {
        clock.advance(Duration.ofSeconds(60));
      }
      long expected = cumulative[w];
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> describe("exp-10").path("rollout").path("notified").asLong() == expected);
    }
    List<Long> timeline = releaseTimeline("exp-10");
    assertThat(batches(timeline)).containsExactly(10L, 20L, 40L, 80L, 50L);
    assertThat(describe("exp-10").path("rollout").path("ratePerMinute").asLong()).isEqualTo(160);
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> devices.stats().summary().succeeded() == DEVICES);
    deleteJob("exp-10");
  }

  @Test
  void badRolloutValuesAreRefusedWithTheReasonAndARunningJobIsDeletedOnlyWithForce()
      throws Exception {
    Path document = dir.resolve("refused.json");
    Files.writeString(document, "{\"operation\": \"noop\"}");
    String[] base = {
      "job", "create", "refused", "--document", document.toString(), "--targets", "group:simulated"
    };
    record Case(List<String> options, String reason) {}
    for (Case c :
        List.of(
            new Case(List.of("--max-per-minute", "0"), "maximumPerMinute must be 1..1000"),
            new Case(List.of("--max-per-minute", "1001"), "maximumPerMinute must be 1..1000"),
            new Case(
                List.of("--base-rate", "10", "--increment-factor", "2"), "rateIncreaseCriteria"),
            new Case(
                List.of(
                    "--base-rate",
                    "10",
                    "--increment-factor",
                    "1.25",
                    "--increase-after-notified",
                    "5"),
                "one decimal"),
            new Case(
                List.of(
                    "--max-per-minute",
                    "5",
                    "--base-rate",
                    "10",
                    "--increment-factor",
                    "2",
                    "--increase-after-succeeded",
                    "5"),
                "must not exceed maximumPerMinute"),
            new Case(List.of("--base-rate", "10"), "--increment-factor"))) {
      List<String> args = new ArrayList<>(List.of(base));
      args.addAll(c.options());
      var refused = hub.cli(args.toArray(String[]::new));
      assertThat(refused.exitCode()).as(c.options().toString()).isNotZero();
      assertThat(refused.err()).contains(c.reason());
    }
    assertThat(hub.cli("job", "describe", "refused").exitCode()).isNotZero();

    createJob("running", "--max-per-minute", "1");
    var refused = hub.cli("job", "delete", "running");
    assertThat(refused.exitCode()).isNotZero();
    assertThat(refused.err()).contains("IN_PROGRESS");
    assertThat(hub.cli("job", "delete", "running", "--force").exitCode()).isZero();
    assertThat(events)
        .anyMatch(e -> e.type().equals("job.deleted") && e.subject().equals("running"));
  }

  @Test
  void theSimulateCommandConnectsTheFleetAndPrintsASummary() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    var command = AgentMain.newCommandLine();
    command.setOut(new PrintWriter(out, true));
    command.setErr(new PrintWriter(err, true));
    Path certs = dir.resolve("certs");
    int exit =
        command.execute(
            "simulate",
            "--endpoint",
            "localhost:" + hub.mqttPort(),
            "--ca-file",
            certs.resolve("ca.crt").toString(),
            "--claim-cert",
            certs.resolve("claim.crt").toString(),
            "--claim-key",
            certs.resolve("claim.key").toString(),
            "--template",
            "fleet",
            "--devices",
            "20",
            "--state",
            dir.resolve("state").toString(),
            "--duration",
            "1s");
    assertThat(exit).as(err.toString()).isZero();
    assertThat(out.toString())
        .contains("20 devices connected; heap ")
        .contains("KiB/device")
        .contains("summary: connected=20 ");
    var bad = AgentMain.newCommandLine();
    bad.setErr(new PrintWriter(new StringWriter(), true));
    assertThat(bad.execute("simulate", "--devices", "1", "--failure-rate", "2")).isNotZero();
  }
}
