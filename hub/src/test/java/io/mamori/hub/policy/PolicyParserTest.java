package io.mamori.hub.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PolicyParserTest {

  static final String TYPICAL_DEVICE_POLICY =
      """
      {"Version": "2012-10-17", "Statement": [
       {"Effect": "Allow", "Action": "iot:Connect",
        "Resource": "arn:aws:iot:us-east-1:123456789012:client/${iot:Connection.Thing.ThingName}",
        "Condition": {"Bool": {"iot:Connection.Thing.IsAttached": "true"}}},
       {"Effect": "Allow", "Action": ["iot:Publish", "iot:Receive"],
        "Resource": "arn:aws:iot:us-east-1:123456789012:topic/$aws/things/${iot:Connection.Thing.ThingName}/*"},
       {"Effect": "Allow", "Action": "iot:Subscribe",
        "Resource": "arn:aws:iot:us-east-1:123456789012:topicfilter/$aws/things/${iot:Connection.Thing.ThingName}/*"}]}
      """;

  static final String CLAIM_POLICY =
      """
      {
        "Version": "2012-10-17",
        "Statement": [
          {"Effect": "Allow", "Action": ["iot:Connect"], "Resource": "*"},
          {"Effect": "Allow", "Action": ["iot:Publish", "iot:Receive"],
           "Resource": [
             "arn:aws:iot:us-east-1:123456789012:topic/$aws/certificates/create-from-csr/*",
             "arn:aws:iot:us-east-1:123456789012:topic/$aws/provisioning-templates/FleetTemplate/provision/*"]},
          {"Effect": "Allow", "Action": "iot:Subscribe",
           "Resource": [
             "arn:aws:iot:us-east-1:123456789012:topicfilter/$aws/certificates/create-from-csr/*",
             "arn:aws:iot:us-east-1:123456789012:topicfilter/$aws/provisioning-templates/FleetTemplate/provision/*"]}
        ]
      }
      """;

  static final String PUB_SUB_POLICY =
      """
      {
        "Version": "2012-10-17",
        "Id": "sensor-policy",
        "Statement": [
          {"Sid": "Connect", "Effect": "Allow", "Action": "iot:Connect",
           "Resource": "arn:aws:iot:*:*:client/${iot:ClientId}"},
          {"Sid": "Telemetry", "Effect": "Allow", "Action": ["iot:Publish", "iot:RetainPublish"],
           "Resource": ["arn:aws:iot:*:*:topic/sensors/${iot:ClientId}/telemetry",
                        "arn:aws:iot:*:*:topic/sensors/${iot:ClientId}/status"]},
          {"Sid": "Commands", "Effect": "Allow", "Action": ["iot:Subscribe"],
           "Resource": "arn:aws:iot:*:*:topicfilter/commands/${iot:ClientId}/#"},
          {"Effect": "Allow", "Action": "iot:Receive",
           "Resource": "arn:aws:iot:*:*:topic/commands/${iot:ClientId}/*"},
          {"Effect": "Deny", "Action": "iot:*", "Resource": "arn:aws:iot:*:*:topic/admin/*"}
        ]
      }
      """;

  @Test
  void awsRecommendedDevicePolicyLoadsUnchanged() {
    PolicyDocument document = PolicyDocument.parse(TYPICAL_DEVICE_POLICY);

    assertThat(document.version()).isEqualTo("2012-10-17");
    assertThat(document.statements()).hasSize(3);
    Statement connect = document.statements().get(0);
    assertThat(connect.effect()).isEqualTo(Effect.ALLOW);
    assertThat(connect.actions()).extracting(Glob::source).containsExactly("iot:Connect");
    assertThat(connect.conditions()).hasSize(1);
    assertThat(connect.conditions().get(0).operator()).isEqualTo(ConditionOperator.BOOL);
    assertThat(connect.conditions().get(0).key()).isEqualTo("iot:Connection.Thing.IsAttached");
  }

  @Test
  void claimAndPubSubPoliciesLoadUnchanged() {
    assertThat(PolicyDocument.parse(CLAIM_POLICY).statements()).hasSize(3);
    PolicyDocument pubSub = PolicyDocument.parse(PUB_SUB_POLICY);
    assertThat(pubSub.statements()).hasSize(5);
    assertThat(pubSub.statements().get(0).sid()).contains("Connect");
    assertThat(pubSub.statements().get(4).effect()).isEqualTo(Effect.DENY);
  }

  @Test
  void singleStatementObjectAndJsonBooleanConditionValuesAreAccepted() {
    PolicyDocument document =
        PolicyDocument.parse(
            """
            {"Version": "2012-10-17", "Statement": {"Effect": "Deny", "NotAction": "iot:Connect",
              "NotResource": "arn:aws:iot:*:*:topic/public/*",
              "Condition": {"Bool": {"iot:Connection.Thing.IsAttached": false}}}}
            """);
    Statement statement = document.statements().get(0);
    assertThat(statement.notActions()).hasSize(1);
    assertThat(statement.notResources()).hasSize(1);
    assertThat(statement.conditions().get(0).values()).containsExactly("false");
  }

  @Test
  void conditionOperatorsWithPrefixesAndSuffixesAreAccepted() {
    PolicyDocument document =
        PolicyDocument.parse(
            """
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iot:Connect",
              "Resource": "*", "Condition": {
                "ForAnyValue:StringLike": {"iot:Certificate.Subject.AlternativeName.DNSName.List": "*.example.com"},
                "ForAllValues:StringEquals": {"iot:ConnectAttributes": ["PersistentConnect", "LastWill"]},
                "StringEqualsIgnoreCaseIfExists": {"iot:Connection.Thing.Attributes[site]": "Lab"},
                "StringNotEquals": {"iot:Certificate.Issuer.Organization.1": "Evil"},
                "IpAddress": {"aws:SourceIp": ["10.0.0.0/8", "2001:db8::/32"]},
                "NotIpAddress": {"aws:SourceIp": "10.9.9.9"},
                "ArnLike": {"iot:ClientId": "arn:*"},
                "Null": {"iot:Connection.Thing.ThingTypeName": "false"}}}]}
            """);
    assertThat(document.statements().get(0).conditions())
        .extracting(Condition::operatorText)
        .containsExactly(
            "ForAnyValue:StringLike",
            "ForAllValues:StringEquals",
            "StringEqualsIgnoreCaseIfExists",
            "StringNotEquals",
            "IpAddress",
            "NotIpAddress",
            "ArnLike",
            "Null");
  }

  @Test
  void documentWithoutVersionLoadsWhenItUsesNoVariables() {
    PolicyDocument document =
        PolicyDocument.parse(
            """
            {"Statement": [{"Effect": "Allow", "Action": "iot:*", "Resource": "*"}]}
            """);
    assertThat(document.version()).isEqualTo("2008-10-17");
  }

  @Test
  void variablesUnderVersion2008AreRefused() {
    assertRefused(
        """
        {"Version": "2008-10-17", "Statement": [{"Effect": "Allow", "Action": "iot:Connect",
          "Resource": "arn:aws:iot:*:*:client/${iot:ClientId}"}]}
        """,
        "Statement[0].Resource: policy variables and ${...} escapes need \"Version\":"
            + " \"2012-10-17\"");
    assertRefused(
        """
        {"Statement": [{"Effect": "Allow", "Action": "iot:Connect", "Resource": "*",
          "Condition": {"StringEquals": {"iot:ClientId": "${iot:Connection.Thing.ThingName}"}}}]}
        """,
        "Statement[0].Condition.StringEquals.iot:ClientId: policy variables");
  }

  @Test
  void otherVersionsAreRefused() {
    assertRefused(
        """
        {"Version": "2012-10-18", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
        """,
        "Version: '2012-10-18' is not supported");
    assertRefused(
        """
        {"Version": 2012, "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
        """,
        "Version: must be a string");
  }

  @Test
  void unknownTopLevelKeyIsRefused() {
    assertRefused(
        """
        {"Version": "2012-10-17", "Statment": []}
        """,
        "Statment: unknown top-level key");
  }

  @Test
  void missingOrEmptyStatementIsRefused() {
    assertRefused("{\"Version\": \"2012-10-17\"}", "Statement: is required");
    assertRefused(
        "{\"Version\": \"2012-10-17\", \"Statement\": []}",
        "Statement: must contain at least one statement");
    assertRefused(
        "{\"Version\": \"2012-10-17\", \"Statement\": \"Allow\"}",
        "Statement: must be an object or an array of objects");
  }

  @Test
  void principalIsRefused() {
    assertRefused(
        """
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*",
          "Action": "iot:Connect", "Resource": "*"}]}
        """,
        "Statement[0].Principal: is not allowed");
  }

  @Test
  void unknownStatementKeyIsRefused() {
    assertRefused(
        """
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Actions": "iot:Connect",
          "Resource": "*"}]}
        """,
        "Statement[0].Actions: unknown key");
  }

  @Test
  void badEffectIsRefused() {
    assertRefused(
        """
        {"Version": "2012-10-17", "Statement": [{"Effect": "allow", "Action": "iot:Connect",
          "Resource": "*"}]}
        """,
        "Statement[0].Effect: must be \"Allow\" or \"Deny\", not \"allow\"");
    assertRefused(
        """
        {"Version": "2012-10-17", "Statement": [{"Action": "iot:Connect", "Resource": "*"}]}
        """,
        "Statement[0].Effect: is required");
  }

  @Test
  void actionAndNotActionTogetherOrNeitherAreRefused() {
    assertRefused(
        """
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iot:Connect",
          "NotAction": "iot:Publish", "Resource": "*"}]}
        """,
        "Statement[0]: has both Action and NotAction");
    assertRefused(
        """
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iot:Connect"}]}
        """,
        "Statement[0]: needs Resource or NotResource");
  }

  @Test
  void wrongTypesAreRefused() {
    assertRefused(
        """
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["iot:Connect", 7],
          "Resource": "*"}]}
        """,
        "Statement[0].Action[1]: must be a string or a list of them, not number");
    assertRefused(
        """
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": [],
          "Resource": "*"}]}
        """,
        "Statement[0].Action: must not be an empty list");
    assertRefused(
        """
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iot:Connect",
          "Resource": {"arn": "x"}}]}
        """,
        "Statement[0].Resource: must be a string or a list of them, not object");
    assertRefused(
        """
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iot:Connect",
          "Resource": "*", "Condition": ["Bool"]}]}
        """,
        "Statement[0].Condition: must be a non-empty object");
  }

  @Test
  void unknownIotActionAndMalformedActionAreRefused() {
    assertRefused(
        """
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iot:Publsh",
          "Resource": "*"}]}
        """,
        "Statement[0].Action: 'iot:Publsh' is not an AWS IoT data-plane action");
    assertRefused(
        """
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "Publish",
          "Resource": "*"}]}
        """,
        "Statement[0].Action: 'Publish' is not an action");
  }

  @Test
  void resourceThatIsNotAnArnIsRefused() {
    assertRefused(
        """
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iot:Publish",
          "Resource": ["*", "topic/a"]}]}
        """,
        "Statement[0].Resource[1]: 'topic/a' must be \"*\" or an ARN");
  }

  @Test
  void unknownOperatorIsRefused() {
    assertRefused(
        """
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iot:Connect",
          "Resource": "*", "Condition": {"NumericFoo": {"iot:ClientId": "1"}}}]}
        """,
        "Statement[0].Condition: operator 'NumericFoo' is not supported");
    assertRefused(
        """
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iot:Connect",
          "Resource": "*", "Condition": {"ForSomeValues:StringEquals": {"iot:ClientId": "1"}}}]}
        """,
        "Statement[0].Condition: operator 'ForSomeValues:StringEquals' is not supported");
  }

  @Test
  void unknownConditionKeyIsRefused() {
    assertRefused(
        """
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iot:Connect",
          "Resource": "*", "Condition": {"Bool": {"aws:SecureTransport": "true"}}}]}
        """,
        "Statement[0].Condition.Bool: condition key 'aws:SecureTransport' is not a supported key");
    assertRefused(
        """
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iot:Connect",
          "Resource": "*", "Condition": {"StringEquals": {"iot:Certificate.Subject.Nickname": "x"}}}]}
        """,
        "'iot:Certificate.Subject.Nickname' is not a supported certificate key");
  }

  @Test
  void unknownVariableIsRefused() {
    assertRefused(
        """
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iot:Publish",
          "Resource": "arn:aws:iot:*:*:topic/${iot:ClientID}"}]}
        """,
        "Statement[0].Resource: unknown policy variable '${iot:ClientID}'");
    assertRefused(
        """
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iot:Publish",
          "Resource": "arn:aws:iot:*:*:topic/${iot:ClientId"}]}
        """,
        "Statement[0].Resource: unterminated '${'");
  }

  @Test
  void conditionOnlyVariablesAreRefusedInResources() {
    assertRefused(
        """
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iot:Publish",
          "Resource": "arn:aws:iot:*:*:topic/${aws:SourceIp}"}]}
        """,
        "Statement[0].Resource: '${aws:SourceIp}' can only be used in a Condition");
    assertRefused(
        """
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iot:Publish",
          "Resource": "arn:aws:iot:*:*:topic/${iot:Certificate.Subject.CommonName.List}"}]}
        """,
        "has several values and can only be a condition key");
  }

  @Test
  void certificateIndexBeyondTheFiveValueCapIsRefused() {
    assertRefused(
        """
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iot:Publish",
          "Resource": "arn:aws:iot:*:*:topic/${iot:Certificate.Subject.AlternativeName.DNSName.5}"}]}
        """,
        "index must be 1 to 4");
  }

  @Test
  void multiValuedKeyWithoutSetQualifierIsRefused() {
    assertRefused(
        """
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iot:Connect",
          "Resource": "*", "Condition": {"StringEquals": {"iot:ConnectAttributes": "LastWill"}}}]}
        """,
        "Statement[0].Condition.StringEquals.iot:ConnectAttributes: 'iot:ConnectAttributes' has"
            + " several values: use ForAllValues: or ForAnyValue:");
  }

  @Test
  void badConditionValuesAreRefused() {
    assertRefused(
        """
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iot:Connect",
          "Resource": "*", "Condition": {"Bool": {"iot:Connection.Thing.IsAttached": "yes"}}}]}
        """,
        "Statement[0].Condition.Bool.iot:Connection.Thing.IsAttached: value 'yes' is not");
    assertRefused(
        """
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iot:Connect",
          "Resource": "*", "Condition": {"IpAddress": {"aws:SourceIp": "10.0.0.0/33"}}}]}
        """,
        "Statement[0].Condition.IpAddress.aws:SourceIp: '10.0.0.0/33' has an invalid prefix");
    assertRefused(
        """
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iot:Connect",
          "Resource": "*", "Condition": {"IpAddress": {"iot:ClientId": "10.0.0.0/8"}}}]}
        """,
        "IpAddress applies only to aws:SourceIp");
    assertRefused(
        """
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iot:Connect",
          "Resource": "*", "Condition": {"StringEquals": {"iot:ClientId": []}}}]}
        """,
        "Statement[0].Condition.StringEquals.iot:ClientId: must not be an empty list");
  }

  @Test
  void invalidJsonDuplicateKeysAndOversizeDocumentsAreRefused() {
    assertRefused("{\"Version\": \"2012-10-17\",", "invalid JSON at line 1");
    assertRefused(
        """
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Effect": "Deny",
          "Action": "iot:Connect", "Resource": "*"}]}
        """,
        "Duplicate field 'Effect'");
    assertRefused("[]", "policy document must be a JSON object");
    assertRefused(" ", "policy document is empty");
    String huge =
        "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Sid\": \""
            + "x".repeat(PolicyDocument.MAX_LENGTH)
            + "\", \"Effect\": \"Allow\", \"Action\": \"*\", \"Resource\": \"*\"}]}";
    assertRefused(huge, "the limit is 20480");
  }

  private static void assertRefused(String json, String message) {
    assertThatThrownBy(() -> PolicyDocument.parse(json))
        .isInstanceOf(PolicyParseException.class)
        .hasMessageContaining(message);
  }
}
