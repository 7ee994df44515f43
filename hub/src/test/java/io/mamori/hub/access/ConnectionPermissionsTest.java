package io.mamori.hub.access;

import static org.assertj.core.api.Assertions.assertThat;

import io.mamori.hub.policy.NamedPolicy;
import io.mamori.hub.policy.PolicyContext;
import io.mamori.hub.policy.PolicyDocument;
import io.mamori.hub.policy.PolicyEvaluator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The compiled per-connection matchers follow every change of policies and context. */
class ConnectionPermissionsTest {

  private final PolicyEvaluator evaluator = new PolicyEvaluator("local", "000000000000");

  private static NamedPolicy policy(String name, String statementsJson) {
    return new NamedPolicy(
        name,
        PolicyDocument.parse(
            "{\"Version\":\"2012-10-17\",\"Statement\":[" + statementsJson + "]}"));
  }

  private static final NamedPolicy THING_TOPICS =
      policy(
          "thing",
          "{\"Effect\":\"Allow\",\"Action\":[\"iot:Publish\",\"iot:Receive\",\"iot:RetainPublish\"],"
              + "\"Resource\":\"arn:aws:iot:*:*:topic/things/${iot:Connection.Thing.ThingName}/*\"},"
              + "{\"Effect\":\"Allow\",\"Action\":\"iot:Subscribe\","
              + "\"Resource\":\"arn:aws:iot:*:*:topicfilter/things/${iot:Connection.Thing.ThingName}/*\"}");

  private static final NamedPolicy NO_ALARMS =
      policy(
          "no-alarms",
          "{\"Effect\":\"Deny\",\"Action\":\"iot:Publish\","
              + "\"Resource\":\"arn:aws:iot:*:*:topic/things/*/alarm\"}");

  private static PolicyContext withThing(boolean attached) {
    return new PolicyContext(
        "sensor-1",
        Optional.of("sensor-1"),
        Optional.empty(),
        Map.of(),
        attached,
        Map.of(),
        Optional.empty(),
        Set.of());
  }

  private ConnectionPermissions permissions(PolicyContext context, List<NamedPolicy> policies) {
    return new ConnectionPermissions("cert-1", context, policies, evaluator, closed -> {});
  }

  @Test
  void newPoliciesApplyToTheNextRequest() {
    ConnectionPermissions permissions = permissions(withThing(true), List.of());
    assertThat(permissions.mayPublish("things/sensor-1/alarm", false).allowed()).isFalse();

    permissions.replacePolicies(List.of(THING_TOPICS));
    assertThat(permissions.mayPublish("things/sensor-1/alarm", false).allowed()).isTrue();
    assertThat(permissions.maySubscribe("things/sensor-1/#").allowed()).isTrue();

    permissions.replacePolicies(List.of(THING_TOPICS, NO_ALARMS));
    assertThat(permissions.mayPublish("things/sensor-1/alarm", false).allowed()).isFalse();
    assertThat(permissions.mayPublish("things/sensor-1/alarm", false).reason())
        .contains("explicitly denied by policy 'no-alarms'");
    assertThat(permissions.mayReceive("things/sensor-1/alarm").allowed()).isTrue();

    permissions.replacePolicies(List.of(THING_TOPICS));
    assertThat(permissions.mayPublish("things/sensor-1/alarm", false).allowed()).isTrue();
  }

  @Test
  void aNewContextAppliesToTheNextRequestAndKeepsThePolicies() {
    ConnectionPermissions permissions = permissions(withThing(false), List.of(THING_TOPICS));
    assertThat(permissions.mayPublish("things/sensor-1/t", false).allowed()).isFalse();
    assertThat(permissions.mayPublish("things/sensor-1/t", false).reason())
        .contains("cannot be resolved");

    permissions.replaceContext(withThing(true));
    assertThat(permissions.mayPublish("things/sensor-1/t", false).allowed()).isTrue();
    assertThat(permissions.mayPublish("things/sensor-1/t", true).allowed()).isTrue();

    permissions.replaceContext(withThing(false));
    assertThat(permissions.mayPublish("things/sensor-1/t", false).allowed()).isFalse();
    assertThat(permissions.context()).isEqualTo(withThing(false));
  }

  @Test
  void aRetainedPublishNeedsRetainPublishToo() {
    NamedPolicy publishOnly =
        policy(
            "p",
            "{\"Effect\":\"Allow\",\"Action\":\"iot:Publish\","
                + "\"Resource\":\"arn:aws:iot:*:*:topic/t\"}");
    ConnectionPermissions permissions = permissions(withThing(true), List.of(publishOnly));

    assertThat(permissions.mayPublish("t", false).allowed()).isTrue();
    assertThat(permissions.mayPublish("t", true).allowed()).isFalse();
  }

  @Test
  void revocationDeniesWhatThePoliciesAllow() {
    ConnectionPermissions permissions = permissions(withThing(true), List.of(THING_TOPICS));
    permissions.revoke("gone");
    permissions.replacePolicies(List.of(THING_TOPICS));

    assertThat(permissions.mayPublish("things/sensor-1/t", false).allowed()).isFalse();
    assertThat(permissions.mayReceive("things/sensor-1/t").reason()).contains("gone");
  }
}
