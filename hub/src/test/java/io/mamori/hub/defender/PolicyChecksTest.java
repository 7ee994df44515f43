package io.mamori.hub.defender;

import static org.assertj.core.api.Assertions.assertThat;

import io.mamori.hub.registry.Policy;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PolicyChecksTest {
  private static List<AuditFinding> check(String document) {
    return new PolicyChecks()
        .check(List.of(new Policy("p", document, 3, Instant.EPOCH, Instant.EPOCH)));
  }

  @Test
  void aPerDevicePolicyIsFine() {
    assertThat(
            check(
                """
                {"Version": "2012-10-17", "Statement": [
                 {"Effect": "Allow", "Action": "iot:Connect",
                  "Resource": "arn:aws:iot:*:*:client/${iot:Connection.Thing.ThingName}"},
                 {"Effect": "Allow", "Action": ["iot:Publish", "iot:Receive"],
                  "Resource": "arn:aws:iot:*:*:topic/devices/${iot:Connection.Thing.ThingName}/*"}]}
                """))
        .isEmpty();
  }

  @Test
  void publishToEveryTopicNamesTheStatementAndWhy() {
    var findings =
        check(
            """
            {"Version": "2012-10-17", "Statement": [
             {"Effect": "Allow", "Action": "iot:Connect", "Resource": "*",
              "Condition": {"Bool": {"iot:Connection.Thing.IsAttached": "true"}}},
             {"Sid": "everything", "Effect": "Allow", "Action": "iot:*",
              "Resource": "arn:aws:iot:*:*:topic/*"}]}
            """);

    assertThat(findings)
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.check()).isEqualTo("IOT_POLICY_OVERLY_PERMISSIVE_CHECK");
              assertThat(f.severity()).isEqualTo(AuditFinding.Severity.CRITICAL);
              assertThat(f.reasonCode()).isEqualTo("ALLOWS_BROAD_ACCESS_TO_IOT_DATA_PLANE_ACTIONS");
              assertThat(f.resourceId()).isEqualTo("p");
              assertThat(f.reason())
                  .contains("statement 1 (Sid everything) of version 3")
                  .contains("iot:Publish")
                  .contains("topic/*")
                  .contains("every topic");
            });
  }

  @Test
  void connectAsAnyClientIdWithoutConditionIsFlagged() {
    var findings =
        check(
            """
            {"Version": "2012-10-17", "Statement": [
             {"Effect": "Allow", "Action": "iot:Connect", "Resource": "arn:aws:iot:*:*:client/*"}]}
            """);
    assertThat(findings)
        .singleElement()
        .satisfies(f -> assertThat(f.reason()).contains("connect as any client id"));
  }

  @Test
  void notActionAndMqttWildcardsAreFlagged() {
    var findings =
        check(
            """
            {"Version": "2012-10-17", "Statement": [
             {"Effect": "Allow", "NotAction": "iot:Connect",
              "Resource": "arn:aws:iot:*:*:topic/devices/a"},
             {"Effect": "Allow", "Action": "iot:Subscribe",
              "Resource": "arn:aws:iot:*:*:topicfilter/devices/#"}]}
            """);
    assertThat(findings)
        .extracting(AuditFinding::check)
        .containsExactlyInAnyOrder(
            "IOT_POLICY_OVERLY_PERMISSIVE_CHECK", "IOT_POLICY_POTENTIAL_MIS_CONFIGURATION_CHECK");
    assertThat(findings)
        .anySatisfy(f -> assertThat(f.reason()).contains("NotAction"))
        .anySatisfy(f -> assertThat(f.reason()).contains("'+' and '#' are literal"));
  }

  @Test
  void aDenyOnEverythingIsNotPermissive() {
    assertThat(
            check(
                """
                {"Version": "2012-10-17", "Statement": [
                 {"Effect": "Deny", "Action": "iot:*", "Resource": "*"}]}
                """))
        .isEmpty();
  }
}
