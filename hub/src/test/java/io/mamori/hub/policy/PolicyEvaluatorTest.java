package io.mamori.hub.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class PolicyEvaluatorTest {

  private final PolicyEvaluator evaluator = new PolicyEvaluator("local", "000000000000");

  private static NamedPolicy policy(String name, String statementsJson) {
    return new NamedPolicy(
        name,
        PolicyDocument.parse(
            "{\"Version\": \"2012-10-17\", \"Statement\": [" + statementsJson + "]}"));
  }

  private static String allow(String action, String resource) {
    return "{\"Effect\": \"Allow\", \"Action\": \""
        + action
        + "\", \"Resource\": \""
        + resource
        + "\"}";
  }

  private static String deny(String action, String resource) {
    return "{\"Effect\": \"Deny\", \"Action\": \""
        + action
        + "\", \"Resource\": \""
        + resource
        + "\"}";
  }

  private static PolicyContext client(String clientId) {
    return PolicyContext.ofClient(clientId);
  }

  private static PolicyContext thing(String name, boolean attached, Map<String, String> attrs) {
    return new PolicyContext(
        name,
        Optional.of(name),
        Optional.of("sensor"),
        attrs,
        attached,
        Map.of(),
        Optional.empty(),
        Set.of());
  }

  private static PolicyContext withCertificate(Map<String, List<String>> values) {
    return withCertificate("dev-1", values);
  }

  /** {@code clientId} presenting a certificate with {@code values}; no thing, no address. */
  private static PolicyContext withCertificate(String clientId, Map<String, List<String>> values) {
    return new PolicyContext(
        clientId,
        Optional.empty(),
        Optional.empty(),
        Map.of(),
        false,
        values,
        Optional.empty(),
        Set.of());
  }

  private static PolicyContext fromAddress(String ip) {
    return new PolicyContext(
        "dev-1",
        Optional.empty(),
        Optional.empty(),
        Map.of(),
        false,
        Map.of(),
        Optional.of(ip),
        Set.of());
  }

  private boolean allowed(NamedPolicy policy, String action, String resource, PolicyContext ctx) {
    return evaluator.evaluate(List.of(policy), action, resource, ctx).allowed();
  }

  /** The broker's path (type + name, explanation on demand) answers as {@code evaluate} does. */
  @Nested
  class Verdicts {
    private final List<NamedPolicy> policies =
        List.of(
            policy(
                "dev",
                allow("iot:Publish", "arn:aws:iot:*:*:topic/things/${iot:ClientId}/*")
                    + ","
                    + deny("iot:Publish", "arn:aws:iot:*:*:topic/things/${iot:ClientId}/admin")
                    + ","
                    + allow(
                        "iot:Subscribe",
                        "arn:aws:iot:*:*:topicfilter/x/${iot:Connection.Thing.ThingName}")));

    @Test
    void verdictMatchesTheFullEvaluationForAllowExplicitAndImplicitDeny() {
      for (String topic : List.of("things/dev-1/t", "things/dev-1/admin", "things/dev-2/t")) {
        var verdict = evaluator.verdict(policies, "iot:Publish", "topic/", topic, client("dev-1"));
        var full = evaluator.evaluate(policies, "iot:Publish", "topic/" + topic, client("dev-1"));
        assertThat(verdict.allowed()).as(topic).isEqualTo(full.allowed());
        assertThat(verdict.decision()).as(topic).isEqualTo(full);
      }
    }

    @Test
    void aSkippedStatementIsExplainedTheSameWay() {
      var verdict =
          evaluator.verdict(policies, "iot:Subscribe", "topicfilter/", "x/a", client("a"));
      assertThat(verdict.allowed()).isFalse();
      assertThat(verdict.decision())
          .isEqualTo(evaluator.evaluate(policies, "iot:Subscribe", "topicfilter/x/a", client("a")));
      assertThat(verdict.decision().explanation()).contains("cannot be resolved");
    }
  }

  @Nested
  class Combining {
    @Test
    void nothingAttachedIsDeniedByDefault() {
      Decision decision = evaluator.evaluate(List.of(), "iot:Connect", "client/a", client("a"));
      assertThat(decision).isInstanceOf(Decision.ImplicitDeny.class);
      assertThat(decision.explanation())
          .isEqualTo("implicitly denied: no policy applies to this principal");
    }

    @Test
    void requestNoStatementCoversIsDeniedByDefault() {
      NamedPolicy p = policy("p", allow("iot:Publish", "arn:aws:iot:local:000000000000:topic/a"));
      Decision decision = evaluator.evaluate(List.of(p), "iot:Publish", "topic/b", client("c"));
      assertThat(decision)
          .isEqualTo(
              new Decision.ImplicitDeny(
                  "no statement allows iot:Publish on arn:aws:iot:local:000000000000:topic/b"));
    }

    @Test
    void explicitDenyWinsOverAllowWhateverTheOrder() {
      NamedPolicy allowAll = policy("open", allow("iot:*", "*"));
      NamedPolicy denyAdmin = policy("guard", deny("iot:Publish", "arn:aws:iot:*:*:topic/admin/*"));

      for (List<NamedPolicy> policies :
          List.of(List.of(allowAll, denyAdmin), List.of(denyAdmin, allowAll))) {
        Decision decision =
            evaluator.evaluate(policies, "iot:Publish", "topic/admin/reboot", client("c"));
        assertThat(decision)
            .isEqualTo(new Decision.ExplicitDeny("guard", 0, "arn:aws:iot:*:*:topic/admin/*"));
        assertThat(evaluator.evaluate(policies, "iot:Publish", "topic/data", client("c")))
            .isEqualTo(new Decision.Allow("open", 0, "*"));
      }
    }

    @Test
    void denyInSamePolicyAfterAllowStillWins() {
      NamedPolicy p =
          policy("p", allow("iot:Publish", "*") + "," + deny("iot:Publish", "arn:*/secret"));
      assertThat(evaluator.evaluate(List.of(p), "iot:Publish", "topic/x/secret", client("c")))
          .isEqualTo(new Decision.ExplicitDeny("p", 1, "arn:*/secret"));
    }

    @Test
    void explanationNamesPolicyAndStatementWithVariablesResolved() {
      NamedPolicy p =
          policy(
              "dev",
              allow("iot:Connect", "arn:aws:iot:local:000000000000:client/${iot:ClientId}")
                  + ","
                  + allow(
                      "iot:Publish",
                      "arn:aws:iot:local:000000000000:topic/things/${iot:ClientId}/*"));
      Decision decision =
          evaluator.evaluate(List.of(p), "iot:Publish", "topic/things/dev-1/temp", client("dev-1"));
      assertThat(decision.explanation())
          .isEqualTo(
              "allowed by policy 'dev' Statement[1] (resource"
                  + " arn:aws:iot:local:000000000000:topic/things/dev-1/*)");
      assertThat(decision)
          .isEqualTo(
              new Decision.Allow("dev", 1, "arn:aws:iot:local:000000000000:topic/things/dev-1/*"));
    }
  }

  @Nested
  class Actions {
    @Test
    void actionNamesMatchIgnoringCase() {
      NamedPolicy p = policy("p", allow("IOT:publish", "*"));
      assertThat(allowed(p, "iot:Publish", "topic/a", client("c"))).isTrue();
      assertThat(allowed(p, "iot:PUBLISH", "topic/a", client("c"))).isTrue();
      assertThat(allowed(p, "iot:Subscribe", "topicfilter/a", client("c"))).isFalse();
    }

    @Test
    void actionWildcardsFollowIam() {
      NamedPolicy pubStar = policy("p", allow("iot:Pub*", "*"));
      assertThat(allowed(pubStar, "iot:Publish", "topic/a", client("c"))).isTrue();
      assertThat(allowed(pubStar, "iot:Receive", "topic/a", client("c"))).isFalse();
      NamedPolicy any = policy("p", allow("*", "*"));
      assertThat(allowed(any, "iot:Subscribe", "topicfilter/a", client("c"))).isTrue();
      NamedPolicy iotAny = policy("p", allow("iot:*", "*"));
      assertThat(allowed(iotAny, "iot:Receive", "topic/a", client("c"))).isTrue();
    }

    @Test
    void notActionCoversEveryOtherAction() {
      NamedPolicy p =
          policy(
              "p",
              "{\"Effect\": \"Allow\", \"NotAction\": [\"iot:Publish\", \"iot:RetainPublish\"],"
                  + " \"Resource\": \"*\"}");
      assertThat(allowed(p, "iot:Subscribe", "topicfilter/a", client("c"))).isTrue();
      assertThat(allowed(p, "iot:Publish", "topic/a", client("c"))).isFalse();
    }
  }

  @Nested
  class Resources {
    @Test
    void starCrossesLevelsAndQuestionMarkIsOneCharacter() {
      NamedPolicy star = policy("p", allow("iot:Publish", "arn:aws:iot:*:*:topic/a/*"));
      assertThat(allowed(star, "iot:Publish", "topic/a/b/c/d", client("c"))).isTrue();
      assertThat(allowed(star, "iot:Publish", "topic/a/", client("c"))).isTrue();
      assertThat(allowed(star, "iot:Publish", "topic/a", client("c"))).isFalse();

      NamedPolicy question = policy("p", allow("iot:Publish", "arn:aws:iot:*:*:topic/room?"));
      assertThat(allowed(question, "iot:Publish", "topic/room1", client("c"))).isTrue();
      assertThat(allowed(question, "iot:Publish", "topic/room", client("c"))).isFalse();
      assertThat(allowed(question, "iot:Publish", "topic/room12", client("c"))).isFalse();
    }

    @Test
    void mqttWildcardsInPoliciesAreLiteral() {
      NamedPolicy plus = policy("p", allow("iot:Subscribe", "arn:aws:iot:*:*:topicfilter/a/+/b"));
      assertThat(allowed(plus, "iot:Subscribe", "topicfilter/a/+/b", client("c"))).isTrue();
      assertThat(allowed(plus, "iot:Subscribe", "topicfilter/a/x/b", client("c"))).isFalse();

      NamedPolicy hash = policy("p", allow("iot:Publish", "arn:aws:iot:*:*:topic/a/#"));
      assertThat(allowed(hash, "iot:Publish", "topic/a/b", client("c"))).isFalse();

      NamedPolicy star = policy("p", allow("iot:Subscribe", "arn:aws:iot:*:*:topicfilter/a/*"));
      assertThat(allowed(star, "iot:Subscribe", "topicfilter/a/+/b", client("c"))).isTrue();
      assertThat(allowed(star, "iot:Subscribe", "topicfilter/a/#", client("c"))).isTrue();
      assertThat(allowed(star, "iot:Subscribe", "topicfilter/b/#", client("c"))).isFalse();
    }

    @Test
    void regionAndAccountMayBeWildcardsButLiteralMismatchDoesNotMatch() {
      assertThat(
              allowed(
                  policy("p", allow("iot:Connect", "arn:aws:iot:*:*:client/c")),
                  "iot:Connect",
                  "client/c",
                  client("c")))
          .isTrue();
      assertThat(
              allowed(
                  policy("p", allow("iot:Connect", "arn:aws:iot:local:000000000000:client/c")),
                  "iot:Connect",
                  "client/c",
                  client("c")))
          .isTrue();
      assertThat(
              allowed(
                  policy("p", allow("iot:Connect", "arn:aws:iot:us-east-1:000000000000:client/c")),
                  "iot:Connect",
                  "client/c",
                  client("c")))
          .isFalse();
      assertThat(
              allowed(
                  policy("p", allow("iot:Connect", "arn:aws:iot:local:123456789012:client/c")),
                  "iot:Connect",
                  "client/c",
                  client("c")))
          .isFalse();
      assertThat(
              allowed(
                  policy("p", allow("iot:Connect", "arn:aws-cn:iot:local:000000000000:client/c")),
                  "iot:Connect",
                  "client/c",
                  client("c")))
          .isFalse();
    }

    @Test
    void resourceTypeIsPartOfTheMatch() {
      NamedPolicy topics = policy("p", allow("iot:*", "arn:aws:iot:*:*:topic/a"));
      assertThat(allowed(topics, "iot:Subscribe", "topicfilter/a", client("c"))).isFalse();
      assertThat(allowed(topics, "iot:Receive", "topic/a", client("c"))).isTrue();
    }

    @Test
    void notResourceCoversEverythingElse() {
      NamedPolicy p =
          policy(
              "p",
              "{\"Effect\": \"Allow\", \"Action\": \"iot:Publish\","
                  + " \"NotResource\": \"arn:aws:iot:*:*:topic/$aws/*\"}");
      Decision decision = evaluator.evaluate(List.of(p), "iot:Publish", "topic/data", client("c"));
      assertThat(decision)
          .isEqualTo(
              new Decision.Allow(
                  "p", 0, "arn:aws:iot:local:000000000000:topic/data, outside NotResource"));
      assertThat(allowed(p, "iot:Publish", "topic/$aws/things/x/shadow/update", client("c")))
          .isFalse();
    }

    @Test
    void escapesStandForLiteralCharacters() {
      NamedPolicy p = policy("p", allow("iot:Publish", "arn:aws:iot:*:*:topic/a/${*}/${?}/${$}x"));
      assertThat(allowed(p, "iot:Publish", "topic/a/*/?/$x", client("c"))).isTrue();
      assertThat(allowed(p, "iot:Publish", "topic/a/b/c/$x", client("c"))).isFalse();
      assertThat(
              evaluator
                  .evaluate(List.of(p), "iot:Publish", "topic/a/*/?/$x", client("c"))
                  .explanation())
          .contains("topic/a/${*}/${?}/${$}x");
    }
  }

  @Nested
  class Variables {
    private final NamedPolicy perClient =
        policy("p", allow("iot:Publish", "arn:aws:iot:*:*:topic/devices/${iot:ClientId}/*"));

    @Test
    void clientIdIsResolvedPerClient() {
      assertThat(allowed(perClient, "iot:Publish", "topic/devices/dev-1/t", client("dev-1")))
          .isTrue();
      assertThat(allowed(perClient, "iot:Publish", "topic/devices/dev-1/t", client("dev-2")))
          .isFalse();
      assertThat(allowed(perClient, "iot:Publish", "topic/devices/dev-2/t", client("dev-2")))
          .isTrue();
    }

    @Test
    void valuesWithWildcardCharactersAreNotSubstituted() {
      // §5.3's danger: a client id "+" must not turn the policy into a filter for all devices.
      NamedPolicy filter =
          policy("p", allow("iot:Subscribe", "arn:aws:iot:*:*:topicfilter/my/${iot:ClientId}/t"));
      assertThat(allowed(filter, "iot:Subscribe", "topicfilter/my/+/t", client("+"))).isFalse();
      assertThat(allowed(filter, "iot:Subscribe", "topicfilter/my/#/t", client("#"))).isFalse();
      assertThat(allowed(perClient, "iot:Publish", "topic/devices/a*b/t", client("a*b"))).isFalse();
    }

    @Test
    void valuesLongerThan1024CharactersAreNotSubstituted() {
      String longId = "d".repeat(1025);
      assertThat(
              allowed(perClient, "iot:Publish", "topic/devices/" + longId + "/t", client(longId)))
          .isFalse();
      String maxId = "d".repeat(1024);
      assertThat(allowed(perClient, "iot:Publish", "topic/devices/" + maxId + "/t", client(maxId)))
          .isTrue();
    }

    @Test
    void thingNameResolvesOnlyForAnAttachedThing() {
      NamedPolicy p =
          policy(
              "p",
              allow(
                  "iot:Publish",
                  "arn:aws:iot:*:*:topic/things/${iot:Connection.Thing.ThingName}/*"));
      assertThat(allowed(p, "iot:Publish", "topic/things/t1/x", thing("t1", true, Map.of())))
          .isTrue();
      assertThat(allowed(p, "iot:Publish", "topic/things/t1/x", thing("t1", false, Map.of())))
          .isFalse();
      Decision noThing =
          evaluator.evaluate(List.of(p), "iot:Publish", "topic/things/t1/x", client("t1"));
      assertThat(noThing.explanation())
          .isEqualTo(
              "implicitly denied: no statement allows iot:Publish on"
                  + " arn:aws:iot:local:000000000000:topic/things/t1/x; policy 'p' Statement[0]"
                  + " did not apply: ${iot:Connection.Thing.ThingName} cannot be resolved for"
                  + " client 't1'");
    }

    @Test
    void denyWithUnresolvableVariableDoesNotApply() {
      // As in AWS: the Deny statement is skipped, so the Allow decides.
      NamedPolicy p =
          policy(
              "p",
              allow("iot:Publish", "*")
                  + ","
                  + deny(
                      "iot:Publish", "arn:aws:iot:*:*:topic/${iot:Connection.Thing.ThingName}/*"));
      assertThat(allowed(p, "iot:Publish", "topic/t1/x", client("t1"))).isTrue();
      assertThat(allowed(p, "iot:Publish", "topic/t1/x", thing("t1", true, Map.of()))).isFalse();
    }

    @Test
    void thingAttributesAndTypeAreSubstituted() {
      NamedPolicy p =
          policy(
              "p",
              allow(
                  "iot:Publish",
                  "arn:aws:iot:*:*:topic/${iot:Connection.Thing.ThingTypeName}/"
                      + "${iot:Connection.Thing.Attributes[site]}/*"));
      PolicyContext inLab = thing("t1", true, Map.of("site", "lab"));
      assertThat(allowed(p, "iot:Publish", "topic/sensor/lab/t1", inLab)).isTrue();
      assertThat(allowed(p, "iot:Publish", "topic/sensor/home/t1", inLab)).isFalse();
      assertThat(allowed(p, "iot:Publish", "topic/sensor/lab/t1", thing("t1", true, Map.of())))
          .isFalse();
    }

    @Test
    void certificateFieldsUseFirstValueIndexedValues() {
      NamedPolicy cn =
          policy(
              "p",
              allow(
                  "iot:Publish", "arn:aws:iot:*:*:topic/cn/${iot:Certificate.Subject.CommonName}"));
      NamedPolicy second =
          policy(
              "p",
              allow(
                  "iot:Publish",
                  "arn:aws:iot:*:*:topic/ou/${iot:Certificate.Subject.OrganizationalUnit.1}"));
      PolicyContext ctx =
          withCertificate(
              Map.of(
                  "Subject.CommonName", List.of("dev-1"),
                  "Subject.OrganizationalUnit", List.of("factory", "line-7")));

      assertThat(allowed(cn, "iot:Publish", "topic/cn/dev-1", ctx)).isTrue();
      assertThat(allowed(cn, "iot:Publish", "topic/cn/dev-2", ctx)).isFalse();
      assertThat(allowed(second, "iot:Publish", "topic/ou/line-7", ctx)).isTrue();
      assertThat(allowed(second, "iot:Publish", "topic/ou/factory", ctx)).isFalse();
      assertThat(allowed(cn, "iot:Publish", "topic/cn/dev-1", client("dev-1"))).isFalse();
      PolicyContext oneOu =
          withCertificate(Map.of("Subject.OrganizationalUnit", List.of("factory")));
      assertThat(allowed(second, "iot:Publish", "topic/ou/factory", oneOu)).isFalse();
    }

    @Test
    void variablesInConditionValuesAreSubstituted() {
      NamedPolicy p =
          policy(
              "p",
              "{\"Effect\": \"Allow\", \"Action\": \"iot:Connect\", \"Resource\": \"*\","
                  + " \"Condition\": {\"StringEquals\": {\"iot:ClientId\":"
                  + " \"${iot:Certificate.Subject.CommonName}\"}}}");
      PolicyContext matching =
          withCertificate("dev-1", Map.of("Subject.CommonName", List.of("dev-1")));
      PolicyContext other =
          withCertificate("dev-2", Map.of("Subject.CommonName", List.of("dev-1")));
      assertThat(allowed(p, "iot:Connect", "client/dev-1", matching)).isTrue();
      assertThat(allowed(p, "iot:Connect", "client/dev-2", other)).isFalse();
      assertThat(allowed(p, "iot:Connect", "client/dev-1", client("dev-1"))).isFalse();
    }
  }

  @Nested
  class Conditions {
    private NamedPolicy connectIf(String condition) {
      return policy(
          "p",
          "{\"Effect\": \"Allow\", \"Action\": \"iot:Connect\", \"Resource\": \"*\","
              + " \"Condition\": "
              + condition
              + "}");
    }

    @Test
    void isAttachedConditionNeedsAnAttachedThing() {
      NamedPolicy p = connectIf("{\"Bool\": {\"iot:Connection.Thing.IsAttached\": \"true\"}}");
      assertThat(allowed(p, "iot:Connect", "client/t1", thing("t1", true, Map.of()))).isTrue();
      assertThat(allowed(p, "iot:Connect", "client/t1", thing("t1", false, Map.of()))).isFalse();
      assertThat(allowed(p, "iot:Connect", "client/t1", client("t1"))).isFalse();
    }

    @Test
    void certificateListWithForAnyValueAndForAllValues() {
      NamedPolicy any =
          connectIf(
              "{\"ForAnyValue:StringLike\": "
                  + "{\"iot:Certificate.Subject.AlternativeName.DNSName.List\": \"*.example.com\"}}");
      NamedPolicy all =
          connectIf(
              "{\"ForAllValues:StringLike\": "
                  + "{\"iot:Certificate.Subject.AlternativeName.DNSName.List\": \"*.example.com\"}}");
      PolicyContext mixed =
          withCertificate(
              Map.of("Subject.AlternativeName.DNSName", List.of("a.other.org", "b.example.com")));
      PolicyContext allGood =
          withCertificate(
              Map.of("Subject.AlternativeName.DNSName", List.of("a.example.com", "b.example.com")));
      PolicyContext none = withCertificate(Map.of());

      assertThat(allowed(any, "iot:Connect", "client/dev-1", mixed)).isTrue();
      assertThat(allowed(any, "iot:Connect", "client/dev-1", none)).isFalse();
      assertThat(allowed(all, "iot:Connect", "client/dev-1", mixed)).isFalse();
      assertThat(allowed(all, "iot:Connect", "client/dev-1", allGood)).isTrue();
      assertThat(allowed(all, "iot:Connect", "client/dev-1", none)).isTrue(); // IAM: vacuous
    }

    @Test
    void certificateListIsCappedAtFiveValues() {
      NamedPolicy any =
          connectIf(
              "{\"ForAnyValue:StringEquals\": "
                  + "{\"iot:Certificate.Subject.AlternativeName.DNSName.List\": \"f.example.com\"}}");
      PolicyContext six =
          withCertificate(
              Map.of(
                  "Subject.AlternativeName.DNSName",
                  List.of("a", "b", "c", "d", "e", "f.example.com")));
      assertThat(allowed(any, "iot:Connect", "client/dev-1", six)).isFalse();
    }

    @Test
    void sourceIpMatchesIpv4AndIpv6Blocks() {
      NamedPolicy p =
          connectIf(
              "{\"IpAddress\": {\"aws:SourceIp\": "
                  + "[\"192.168.1.0/24\", \"2001:db8::/32\", \"10.1.2.3\"]}}");
      assertThat(allowed(p, "iot:Connect", "client/dev-1", fromAddress("192.168.1.77"))).isTrue();
      assertThat(allowed(p, "iot:Connect", "client/dev-1", fromAddress("192.168.2.1"))).isFalse();
      assertThat(allowed(p, "iot:Connect", "client/dev-1", fromAddress("10.1.2.3"))).isTrue();
      assertThat(allowed(p, "iot:Connect", "client/dev-1", fromAddress("2001:db8:1::5"))).isTrue();
      assertThat(allowed(p, "iot:Connect", "client/dev-1", fromAddress("2001:db9::5"))).isFalse();
      assertThat(allowed(p, "iot:Connect", "client/dev-1", fromAddress("::ffff:192.168.1.9")))
          .isTrue();
      assertThat(allowed(p, "iot:Connect", "client/dev-1", client("dev-1"))).isFalse();
    }

    @Test
    void notIpAddressExcludesABlock() {
      NamedPolicy p = connectIf("{\"NotIpAddress\": {\"aws:SourceIp\": \"203.0.113.0/24\"}}");
      assertThat(allowed(p, "iot:Connect", "client/dev-1", fromAddress("203.0.113.9"))).isFalse();
      assertThat(allowed(p, "iot:Connect", "client/dev-1", fromAddress("198.51.100.1"))).isTrue();
    }

    @Test
    void connectAttributesWithForAllValues() {
      NamedPolicy persistentOnly =
          connectIf(
              "{\"ForAllValues:StringEquals\": "
                  + "{\"iot:ConnectAttributes\": [\"PersistentConnect\"]}}");
      assertThat(
              allowed(persistentOnly, "iot:Connect", "client/c", attributes("PersistentConnect")))
          .isTrue();
      assertThat(
              allowed(
                  persistentOnly,
                  "iot:Connect",
                  "client/c",
                  attributes("PersistentConnect", "LastWill")))
          .isFalse();
      NamedPolicy noPersistent =
          connectIf(
              "{\"ForAllValues:StringNotEquals\": "
                  + "{\"iot:ConnectAttributes\": [\"PersistentConnect\"]}}");
      assertThat(allowed(noPersistent, "iot:Connect", "client/c", attributes("LastWill"))).isTrue();
      assertThat(
              allowed(
                  noPersistent,
                  "iot:Connect",
                  "client/c",
                  attributes("LastWill", "PersistentConnect")))
          .isFalse();
    }

    private PolicyContext attributes(String... names) {
      return new PolicyContext(
          "c",
          Optional.empty(),
          Optional.empty(),
          Map.of(),
          false,
          Map.of(),
          Optional.empty(),
          Set.of(names));
    }

    @Test
    void missingKeyFailsPositiveAndPassesNegatedOperators() {
      NamedPolicy equals =
          connectIf("{\"StringEquals\": {\"iot:Connection.Thing.Attributes[role]\": \"gateway\"}}");
      NamedPolicy notEquals =
          connectIf(
              "{\"StringNotEquals\": {\"iot:Connection.Thing.Attributes[role]\": \"gateway\"}}");
      NamedPolicy ifExists =
          connectIf(
              "{\"StringEqualsIfExists\": {\"iot:Connection.Thing.Attributes[role]\": \"gateway\"}}");
      PolicyContext noRole = thing("t1", true, Map.of());
      PolicyContext sensor = thing("t1", true, Map.of("role", "sensor"));

      assertThat(allowed(equals, "iot:Connect", "client/t1", noRole)).isFalse();
      assertThat(allowed(notEquals, "iot:Connect", "client/t1", noRole)).isTrue();
      assertThat(allowed(notEquals, "iot:Connect", "client/t1", sensor)).isTrue();
      assertThat(allowed(ifExists, "iot:Connect", "client/t1", noRole)).isTrue();
      assertThat(allowed(ifExists, "iot:Connect", "client/t1", sensor)).isFalse();
    }

    @Test
    void nullTestsWhetherAKeyIsAbsent() {
      NamedPolicy noThing = connectIf("{\"Null\": {\"iot:Connection.Thing.ThingName\": \"true\"}}");
      assertThat(allowed(noThing, "iot:Connect", "client/c", client("c"))).isTrue();
      assertThat(allowed(noThing, "iot:Connect", "client/t1", thing("t1", true, Map.of())))
          .isFalse();
    }

    @Test
    void ignoreCaseAndLikeOperators() {
      NamedPolicy ignoreCase =
          connectIf("{\"StringEqualsIgnoreCase\": {\"iot:ClientId\": \"Sensor-01\"}}");
      assertThat(allowed(ignoreCase, "iot:Connect", "client/sensor-01", client("sensor-01")))
          .isTrue();
      NamedPolicy notLike = connectIf("{\"StringNotLike\": {\"iot:ClientId\": \"test-*\"}}");
      assertThat(allowed(notLike, "iot:Connect", "client/test-1", client("test-1"))).isFalse();
      assertThat(allowed(notLike, "iot:Connect", "client/prod-1", client("prod-1"))).isTrue();
      NamedPolicy equalsIsLiteral = connectIf("{\"StringEquals\": {\"iot:ClientId\": \"a*\"}}");
      assertThat(allowed(equalsIsLiteral, "iot:Connect", "client/ab", client("ab"))).isFalse();
      assertThat(allowed(equalsIsLiteral, "iot:Connect", "client/a*", client("a*"))).isTrue();
    }

    @Test
    void arnLikeComparesWithWildcards() {
      NamedPolicy p =
          connectIf(
              "{\"ArnLike\": {\"iot:Connection.Thing.Attributes[owner]\": \"arn:aws:iam::*:role/dev\"}}");
      assertThat(
              allowed(
                  p,
                  "iot:Connect",
                  "client/t1",
                  thing("t1", true, Map.of("owner", "arn:aws:iam::123456789012:role/dev"))))
          .isTrue();
      assertThat(
              allowed(
                  p,
                  "iot:Connect",
                  "client/t1",
                  thing("t1", true, Map.of("owner", "arn:aws:iam::123456789012:role/ops"))))
          .isFalse();
    }

    @Test
    void keysAndOperatorsAreAndedAndValuesOred() {
      NamedPolicy p =
          connectIf(
              "{\"StringLike\": {\"iot:ClientId\": [\"a-*\", \"b-*\"]},"
                  + " \"Bool\": {\"iot:Connection.Thing.IsAttached\": \"true\"}}");
      assertThat(allowed(p, "iot:Connect", "client/b-1", thing("b-1", true, Map.of()))).isTrue();
      assertThat(allowed(p, "iot:Connect", "client/b-1", thing("b-1", false, Map.of()))).isFalse();
      assertThat(allowed(p, "iot:Connect", "client/c-1", thing("c-1", true, Map.of()))).isFalse();
    }
  }

  @Nested
  class AwsExamples {
    private final NamedPolicy device =
        new NamedPolicy("device", PolicyDocument.parse(PolicyParserTest.TYPICAL_DEVICE_POLICY));
    private final PolicyEvaluator usEast = new PolicyEvaluator("us-east-1", "123456789012");

    @Test
    void recommendedDevicePolicyAllowsAnAttachedThingItsOwnTopics() {
      PolicyContext ctx = thing("sensor-7", true, Map.of());
      List<NamedPolicy> policies = List.of(device);
      assertThat(usEast.evaluate(policies, "iot:Connect", "client/sensor-7", ctx))
          .isEqualTo(
              new Decision.Allow(
                  "device", 0, "arn:aws:iot:us-east-1:123456789012:client/sensor-7"));
      assertThat(
              usEast
                  .evaluate(
                      policies, "iot:Publish", "topic/$aws/things/sensor-7/shadow/update", ctx)
                  .allowed())
          .isTrue();
      assertThat(
              usEast
                  .evaluate(
                      policies,
                      "iot:Receive",
                      "topic/$aws/things/sensor-7/shadow/update/accepted",
                      ctx)
                  .allowed())
          .isTrue();
      assertThat(
              usEast
                  .evaluate(
                      policies,
                      "iot:Subscribe",
                      "topicfilter/$aws/things/sensor-7/shadow/update/+",
                      ctx)
                  .allowed())
          .isTrue();
      assertThat(
              usEast
                  .evaluate(
                      policies, "iot:Publish", "topic/$aws/things/sensor-8/shadow/update", ctx)
                  .allowed())
          .isFalse();
      assertThat(usEast.evaluate(policies, "iot:Connect", "client/other", ctx).allowed()).isFalse();
    }

    @Test
    void recommendedDevicePolicyRefusesAThingThatIsNotAttached() {
      PolicyContext detached = thing("sensor-7", false, Map.of());
      List<NamedPolicy> policies = List.of(device);
      assertThat(usEast.evaluate(policies, "iot:Connect", "client/sensor-7", detached))
          .isInstanceOf(Decision.ImplicitDeny.class);
      assertThat(
              usEast
                  .evaluate(
                      policies, "iot:Publish", "topic/$aws/things/sensor-7/shadow/update", detached)
                  .allowed())
          .isFalse();
    }

    @Test
    void recommendedDevicePolicyDoesNotApplyInAnotherRegion() {
      PolicyContext ctx = thing("sensor-7", true, Map.of());
      assertThat(
              evaluator.evaluate(List.of(device), "iot:Connect", "client/sensor-7", ctx).allowed())
          .isFalse();
    }

    @Test
    void claimPolicyAllowsOnlyProvisioningTopics() {
      NamedPolicy claim =
          new NamedPolicy("claim", PolicyDocument.parse(PolicyParserTest.CLAIM_POLICY));
      PolicyContext ctx = client("claim-123");
      List<NamedPolicy> policies = List.of(claim);
      assertThat(usEast.evaluate(policies, "iot:Connect", "client/claim-123", ctx).allowed())
          .isTrue();
      assertThat(
              usEast
                  .evaluate(
                      policies, "iot:Publish", "topic/$aws/certificates/create-from-csr/json", ctx)
                  .allowed())
          .isTrue();
      assertThat(
              usEast
                  .evaluate(
                      policies,
                      "iot:Subscribe",
                      "topicfilter/$aws/certificates/create-from-csr/json/accepted",
                      ctx)
                  .allowed())
          .isTrue();
      assertThat(
              usEast
                  .evaluate(
                      policies,
                      "iot:Publish",
                      "topic/$aws/provisioning-templates/FleetTemplate/provision/json",
                      ctx)
                  .allowed())
          .isTrue();
      assertThat(
              usEast
                  .evaluate(
                      policies,
                      "iot:Publish",
                      "topic/$aws/provisioning-templates/Other/provision/json",
                      ctx)
                  .allowed())
          .isFalse();
      assertThat(usEast.evaluate(policies, "iot:Publish", "topic/data", ctx).allowed()).isFalse();
    }

    @Test
    void pubSubPolicyIsolatesClientsAndDeniesAdmin() {
      NamedPolicy pubSub =
          new NamedPolicy("pubsub", PolicyDocument.parse(PolicyParserTest.PUB_SUB_POLICY));
      List<NamedPolicy> policies = List.of(pubSub);
      PolicyContext ctx = client("s1");
      assertThat(
              evaluator
                  .evaluate(policies, "iot:Publish", "topic/sensors/s1/telemetry", ctx)
                  .allowed())
          .isTrue();
      assertThat(
              evaluator
                  .evaluate(policies, "iot:Publish", "topic/sensors/s2/telemetry", ctx)
                  .allowed())
          .isFalse();
      assertThat(
              evaluator
                  .evaluate(policies, "iot:Subscribe", "topicfilter/commands/s1/#", ctx)
                  .allowed())
          .isTrue();
      assertThat(
              evaluator
                  .evaluate(policies, "iot:Subscribe", "topicfilter/commands/s1/+", ctx)
                  .allowed())
          .isFalse();
      assertThat(evaluator.evaluate(policies, "iot:Subscribe", "topicfilter/admin/x", ctx))
          .isInstanceOf(Decision.ImplicitDeny.class);
      assertThat(evaluator.evaluate(policies, "iot:Receive", "topic/admin/x", ctx))
          .isEqualTo(new Decision.ExplicitDeny("pubsub", 4, "arn:aws:iot:*:*:topic/admin/*"));
    }
  }
}
