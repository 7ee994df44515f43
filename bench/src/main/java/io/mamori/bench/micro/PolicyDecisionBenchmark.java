package io.mamori.bench.micro;

import io.mamori.hub.policy.Decision;
import io.mamori.hub.policy.NamedPolicy;
import io.mamori.hub.policy.PolicyContext;
import io.mamori.hub.policy.PolicyDocument;
import io.mamori.hub.policy.PolicyEvaluator;
import io.mamori.hub.policy.PolicyMatcher;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The decision the broker makes on every PUBLISH: a realistic device policy (connect as the own
 * thing, publish and receive under topics named by {@code ${iot:ClientId}} and thing variables, a
 * Deny statement for a command topic) evaluated for a connected device. Target: under 1 µs. {@code
 * broker*} is the broker's path (a matcher compiled per connection, as ConnectionPermissions
 * holds); {@code verdict*} the uncompiled lean path it replaced, kept for comparison.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class PolicyDecisionBenchmark {
  static final String DEVICE_POLICY =
      """
      {"Version":"2012-10-17","Statement":[
       {"Effect":"Allow","Action":"iot:Connect",
        "Resource":"arn:aws:iot:*:*:client/${iot:Connection.Thing.ThingName}",
        "Condition":{"Bool":{"iot:Connection.Thing.IsAttached":"true"}}},
       {"Effect":"Allow","Action":["iot:Publish","iot:Receive"],
        "Resource":["arn:aws:iot:*:*:topic/devices/${iot:ClientId}/*",
                    "arn:aws:iot:*:*:topic/$aws/things/${iot:Connection.Thing.ThingName}/shadow/*"]},
       {"Effect":"Allow","Action":"iot:Subscribe",
        "Resource":["arn:aws:iot:*:*:topicfilter/devices/${iot:ClientId}/*",
                    "arn:aws:iot:*:*:topicfilter/$aws/things/${iot:Connection.Thing.ThingName}/shadow/*"]},
       {"Effect":"Deny","Action":"iot:Publish",
        "Resource":"arn:aws:iot:*:*:topic/devices/${iot:ClientId}/admin/*"}]}
      """;

  PolicyEvaluator evaluator;
  List<NamedPolicy> policies;
  PolicyContext context;
  PolicyMatcher publish;

  // Fields, not literals, so that the JIT cannot fold the topics into the matching code.
  String ownTopic = "devices/sensor-0042/telemetry";
  String otherTopic = "devices/sensor-0043/telemetry";
  String adminTopic = "devices/sensor-0042/admin/reset";

  @Setup
  public void setUp() {
    evaluator = new PolicyEvaluator("local", "000000000000");
    policies = List.of(new NamedPolicy("device-policy", PolicyDocument.parse(DEVICE_POLICY)));
    context =
        new PolicyContext(
            "sensor-0042",
            Optional.of("sensor-0042"),
            Optional.of("th-100"),
            Map.of("model", "th-100"),
            true,
            Map.of("Subject.CommonName", List.of("sensor-0042")),
            Optional.of("192.0.2.17"),
            Set.of());
    publish = evaluator.matcher(policies, context, "iot:Publish", "topic/");
  }

  /**
   * What the broker does for every PUBLISH (ConnectionPermissions): the connection's matcher,
   * compiled when its permissions were built; the explanation is rendered only to log a denial.
   */
  @Benchmark
  public boolean brokerPublishAllowed() {
    return publish.allows(ownTopic);
  }

  /** The broker's path for a topic of another device (implicitly denied). */
  @Benchmark
  public boolean brokerPublishDenied() {
    return publish.allows(otherTopic);
  }

  /** The broker's path for a topic a Deny statement covers. */
  @Benchmark
  public boolean brokerPublishDeniedExplicitly() {
    return publish.allows(adminTopic);
  }

  /**
   * The uncompiled lean path (what the broker did before matchers): variables substituted and
   * conditions decided on every call.
   */
  @Benchmark
  public boolean verdictPublishAllowed() {
    return evaluator.verdict(policies, "iot:Publish", "topic/", ownTopic, context).allowed();
  }

  /** The uncompiled lean path for a topic of another device. */
  @Benchmark
  public boolean verdictPublishDenied() {
    return evaluator.verdict(policies, "iot:Publish", "topic/", otherTopic, context).allowed();
  }

  /** The common case with its explanation, as {@code mamori policy test} shows it. */
  @Benchmark
  public Decision publishAllowed() {
    return evaluator.evaluate(
        policies, "iot:Publish", "topic/devices/sensor-0042/telemetry", context);
  }

  /** A device publishing to another device's topic: implicit deny with its explanation. */
  @Benchmark
  public Decision publishDeniedImplicitly() {
    return evaluator.evaluate(
        policies, "iot:Publish", "topic/devices/sensor-0043/telemetry", context);
  }

  /** A Deny statement matches and wins over the Allow. */
  @Benchmark
  public Decision publishDeniedExplicitly() {
    return evaluator.evaluate(
        policies, "iot:Publish", "topic/devices/sensor-0042/admin/reset", context);
  }
}
