package io.mamori.hub.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PolicyMatcherTest {

  private final PolicyEvaluator evaluator = new PolicyEvaluator("local", "000000000000");

  private static final String DEVICE_POLICY =
      """
      {"Version":"2012-10-17","Statement":[
       {"Effect":"Allow","Action":"iot:Connect",
        "Resource":"arn:aws:iot:*:*:client/${iot:Connection.Thing.ThingName}"},
       {"Effect":"Allow","Action":["iot:Publish","iot:Receive"],
        "Resource":["arn:aws:iot:*:*:topic/devices/${iot:ClientId}/*",
                    "arn:aws:iot:local:*:topic/zone/${iot:Connection.Thing.Attributes[zone]}/*",
                    "arn:aws:iot:*:*:topic/$aws/things/${iot:Connection.Thing.ThingName}/shadow/*"]},
       {"Effect":"Allow","Action":"iot:Subscribe",
        "Resource":"arn:aws:iot:*:*:topicfilter/devices/${iot:ClientId}/*"},
       {"Effect":"Deny","Action":"iot:Publish",
        "Resource":"arn:aws:iot:*:*:topic/devices/${iot:ClientId}/admin/*"},
       {"Effect":"Allow","Action":"iot:Publish",
        "Resource":"arn:aws:iot:*:*:topic/fleet/*",
        "Condition":{"StringEquals":{"iot:Certificate.Subject.CommonName":"${iot:ClientId}"}}},
       {"Effect":"Allow","Action":"iot:Publish",
        "Resource":"arn:aws:iot:*:*:topic/office/*",
        "Condition":{"IpAddress":{"aws:SourceIp":"192.0.2.0/24"}}},
       {"Effect":"Deny","Action":"iot:Publish",
        "NotResource":["arn:aws:iot:*:*:topic/devices/*","arn:aws:iot:*:*:topic/fleet/*",
                       "arn:aws:iot:*:*:topic/zone/*","arn:aws:iot:*:*:topic/office/*",
                       "arn:aws:iot:*:*:topic/$aws/*"]}]}
      """;

  private static NamedPolicy named(String name, String json) {
    return new NamedPolicy(name, PolicyDocument.parse(json));
  }

  private static NamedPolicy statements(String name, String statementsJson) {
    return named(name, "{\"Version\":\"2012-10-17\",\"Statement\":[" + statementsJson + "]}");
  }

  private static PolicyContext device(String clientId, boolean attached, String commonName) {
    return new PolicyContext(
        clientId,
        Optional.of(clientId),
        Optional.of("th-100"),
        Map.of("zone", "north"),
        attached,
        Map.of("Subject.CommonName", List.of(commonName)),
        Optional.of("192.0.2.17"),
        Set.of());
  }

  @Test
  void answersExactlyAsTheEvaluatorForManyContextsActionsAndTopics() {
    List<NamedPolicy> policies = List.of(named("device", DEVICE_POLICY));
    List<PolicyContext> contexts =
        List.of(
            device("sensor-1", true, "sensor-1"),
            device("sensor-1", false, "sensor-1"),
            device("sensor-1", true, "someone-else"),
            device("+", true, "+"),
            PolicyContext.ofClient("sensor-1"));
    String[] segments = {"devices", "sensor-1", "sensor-2", "admin", "fleet", "zone", "north"};
    String[] more = {"office", "$aws", "things", "shadow", "update", "+", "#", "*", "a:b"};
    Random random = new Random(20261123L);
    for (PolicyContext context : contexts) {
      for (String action : List.of("iot:Publish", "iot:Receive", "iot:Subscribe")) {
        for (String type : List.of("topic/", "topicfilter/")) {
          PolicyMatcher matcher = evaluator.matcher(policies, context, action, type);
          for (int round = 0; round < 400; round++) {
            String topic = randomTopic(random, segments, more);
            boolean expected = evaluator.verdict(policies, action, type, topic, context).allowed();
            assertThat(matcher.allows(topic))
                .as("%s %s%s for %s", action, type, topic, context.clientId())
                .isEqualTo(expected);
            assertThat(matcher.decision(topic).allowed()).isEqualTo(expected);
          }
        }
      }
    }
  }

  private static String randomTopic(Random random, String[] segments, String[] more) {
    int levels = 1 + random.nextInt(4);
    StringBuilder topic = new StringBuilder();
    for (int level = 0; level < levels; level++) {
      if (level > 0) {
        topic.append('/');
      }
      String[] from = random.nextInt(3) == 0 ? more : segments;
      topic.append(from[random.nextInt(from.length)]);
    }
    return topic.toString();
  }

  @Test
  void aDenyInAnyPolicyWinsOverAnAllowInAnother() {
    NamedPolicy allow =
        statements(
            "allow",
            "{\"Effect\":\"Allow\",\"Action\":\"iot:*\",\"Resource\":\"arn:aws:iot:*:*:*\"}");
    NamedPolicy deny =
        statements(
            "deny",
            "{\"Effect\":\"Deny\",\"Action\":\"iot:Publish\","
                + "\"Resource\":\"arn:aws:iot:*:*:topic/${iot:ClientId}/secret\"}");
    PolicyMatcher matcher =
        evaluator.matcher(
            List.of(allow, deny), PolicyContext.ofClient("dev-1"), "iot:Publish", "topic/");

    assertThat(matcher.allows("dev-1/public")).isTrue();
    assertThat(matcher.allows("dev-1/secret")).isFalse();
    assertThat(matcher.decision("dev-1/secret"))
        .isEqualTo(new Decision.ExplicitDeny("deny", 0, "arn:aws:iot:*:*:topic/dev-1/secret"));
  }

  @Test
  void aDenyWhoseVariableCannotBeResolvedDeniesNothingAsInTheEvaluator() {
    NamedPolicy policy =
        statements(
            "p",
            "{\"Effect\":\"Allow\",\"Action\":\"iot:Publish\",\"Resource\":\"arn:aws:iot:*:*:topic/*\"},"
                + "{\"Effect\":\"Deny\",\"Action\":\"iot:Publish\",\"Resource\":"
                + "\"arn:aws:iot:*:*:topic/${iot:Connection.Thing.ThingName}/*\"}");
    PolicyMatcher unattached =
        evaluator.matcher(
            List.of(policy), device("dev-1", false, "dev-1"), "iot:Publish", "topic/");
    PolicyMatcher attached =
        evaluator.matcher(List.of(policy), device("dev-1", true, "dev-1"), "iot:Publish", "topic/");

    assertThat(unattached.allows("dev-1/x")).isTrue();
    assertThat(attached.allows("dev-1/x")).isFalse();
    assertThat(attached.allows("dev-2/x")).isTrue();
  }

  @Test
  void aClientIdWithWildcardCharactersIsNeverSubstituted() {
    NamedPolicy policy =
        statements(
            "p",
            "{\"Effect\":\"Allow\",\"Action\":\"iot:Subscribe\","
                + "\"Resource\":\"arn:aws:iot:*:*:topicfilter/my/${iot:ClientId}/t\"}");
    PolicyMatcher matcher =
        evaluator.matcher(
            List.of(policy), PolicyContext.ofClient("+"), "iot:Subscribe", "topicfilter/");

    assertThat(matcher.allows("my/+/t")).isFalse();
    assertThat(matcher.decision("my/+/t").explanation()).contains("cannot be resolved");
  }

  @Test
  void conditionsAreDecidedForTheConnection() {
    List<NamedPolicy> policies = List.of(named("device", DEVICE_POLICY));
    PolicyMatcher own =
        evaluator.matcher(policies, device("s-1", true, "s-1"), "iot:Publish", "topic/");
    PolicyMatcher other =
        evaluator.matcher(policies, device("s-1", true, "s-9"), "iot:Publish", "topic/");

    assertThat(own.allows("fleet/report")).isTrue();
    assertThat(other.allows("fleet/report")).isFalse();
    assertThat(own.allows("office/door")).isTrue();
  }

  @Test
  void notResourceStatementsApplyOutsideTheirPatterns() {
    List<NamedPolicy> policies = List.of(named("device", DEVICE_POLICY));
    PolicyMatcher matcher =
        evaluator.matcher(policies, device("s-1", true, "s-1"), "iot:Publish", "topic/");

    assertThat(matcher.allows("devices/s-1/x")).isTrue();
    assertThat(matcher.allows("elsewhere/x")).isFalse();
    assertThat(matcher.decision("elsewhere/x")).isInstanceOf(Decision.ExplicitDeny.class);
  }

  @Test
  void resourcesOfAnotherRegionOrTypeNeverMatch() {
    NamedPolicy policy =
        statements(
            "p",
            "{\"Effect\":\"Allow\",\"Action\":\"iot:Publish\",\"Resource\":"
                + "[\"arn:aws:iot:eu-west-1:*:topic/*\",\"arn:aws:iot:*:*:topicfilter/*\"]}");
    PolicyMatcher matcher =
        evaluator.matcher(List.of(policy), PolicyContext.ofClient("d"), "iot:Publish", "topic/");

    assertThat(matcher.allows("a")).isFalse();
  }

  @Test
  void noPoliciesDenyByDefault() {
    PolicyMatcher matcher =
        evaluator.matcher(List.of(), PolicyContext.ofClient("d"), "iot:Publish", "topic/");

    assertThat(matcher.allows("a")).isFalse();
    assertThat(matcher.decision("a").explanation()).contains("no policy applies");
  }
}
