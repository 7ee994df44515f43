package io.mamori.hub.provisioning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mamori.hub.registry.RegistryException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TemplateDocumentTest {
  /** Reference §1.4's example (Embedded C fleet provisioning demo), policy name filled in. */
  static final String AWS_EXAMPLE =
      """
      {"Parameters": {"SerialNumber": {"Type": "String"},
                      "AWS::IoT::Certificate::Id": {"Type": "String"}},
       "Resources": {
        "certificate": {"Type": "AWS::IoT::Certificate",
           "Properties": {"CertificateId": {"Ref": "AWS::IoT::Certificate::Id"}, "Status": "Active"}},
        "policy": {"Type": "AWS::IoT::Policy", "Properties": {"PolicyName": "device-policy"}},
        "thing": {"Type": "AWS::IoT::Thing",
           "OverrideSettings": {"AttributePayload": "MERGE", "ThingGroups": "DO_NOTHING",
                                "ThingTypeName": "REPLACE"},
           "Properties": {"AttributePayload": {}, "ThingGroups": [],
              "ThingName": {"Fn::Join": ["", ["fp_demo_", {"Ref": "SerialNumber"}]]},
              "ThingTypeName": "fp_demo_things"}}},
       "DeviceConfiguration": {"Foo": "Bar"}}
      """;

  @Test
  void evaluatesTheAwsExample() {
    var plan =
        TemplateDocument.parse(AWS_EXAMPLE)
            .evaluate(
                Map.of("SerialNumber", "123"), Map.of(TemplateDocument.CERTIFICATE_ID, "abc"));
    assertThat(plan.thing().orElseThrow().name()).isEqualTo("fp_demo_123");
    assertThat(plan.thing().orElseThrow().thingType()).contains("fp_demo_things");
    assertThat(plan.thing().orElseThrow().override("AttributePayload"))
        .isEqualTo(ProvisioningPlan.Override.MERGE);
    assertThat(plan.certificateId()).isEqualTo("abc");
    assertThat(plan.certificateActive()).isTrue();
    assertThat(plan.policies())
        .containsExactly(
            new ProvisioningPlan.PolicyPlan(Optional.of("device-policy"), Optional.empty()));
    assertThat(plan.deviceConfiguration()).containsExactly(Map.entry("Foo", "Bar"));
  }

  @Test
  void evaluatesEveryFunction() {
    String body =
        """
        {"Parameters": {"Serial": {"Type": "String"}, "Site": {"Type": "String", "Default": "WA"},
                        "Parts": {"Type": "String"}},
         "Mappings": {"Sites": {"WA": {"Region": "west"}}},
         "Resources": {
          "cert": {"Type": "AWS::IoT::Certificate",
                   "Properties": {"CertificateId": {"Ref": "AWS::IoT::Certificate::Id"},
                                  "Status": "inactive"}},
          "thing": {"Type": "AWS::IoT::Thing", "Properties": {
             "ThingName": {"Fn::Sub": "dev-${Serial}-${Site}"},
             "AttributePayload": {
               "region": {"Fn::FindInMap": ["Sites", {"Ref": "Site"}, "Region"]},
               "second": {"Fn::Select": [1, {"Fn::Split": [",", {"Ref": "Parts"}]}]},
               "sub": {"Fn::Sub": ["${x}/${Serial}", {"x": {"Ref": "Site"}}]}},
             "ThingGroups": ["line-1"]}},
          "p": {"Type": "AWS::IoT::Policy",
                "Properties": {"PolicyDocument": {"Version": "2012-10-17", "Statement": []}}}}}
        """;
    var plan =
        TemplateDocument.parse(body)
            .evaluate(
                Map.of("Serial", "7", "Parts", "a,b,c"),
                Map.of(TemplateDocument.CERTIFICATE_ID, "id"));
    var thing = plan.thing().orElseThrow();
    assertThat(thing.name()).isEqualTo("dev-7-WA");
    assertThat(thing.attributes())
        .containsEntry("region", "west")
        .containsEntry("second", "b")
        .containsEntry("sub", "WA/7");
    assertThat(thing.groups()).isEqualTo(List.of("line-1"));
    assertThat(plan.certificateActive()).isFalse();
    assertThat(plan.policies().get(0).policyDocument().orElseThrow()).contains("2012-10-17");
  }

  @Test
  void missingParameterAndOutOfRangeSelectAreProvisioningErrors() {
    var document =
        TemplateDocument.parse(
            """
            {"Parameters": {"Serial": {"Type": "String"}},
             "Resources": {"c": {"Type": "AWS::IoT::Certificate",
               "Properties": {"CertificateId": {"Ref": "AWS::IoT::Certificate::Id"}}},
              "t": {"Type": "AWS::IoT::Thing", "Properties": {"ThingName":
                {"Fn::Select": [3, {"Fn::Split": ["-", {"Ref": "Serial"}]}]}}}}}
            """);
    var pseudo = Map.of(TemplateDocument.CERTIFICATE_ID, "id");
    assertThatThrownBy(() -> document.evaluate(Map.of(), pseudo))
        .isInstanceOf(TemplateException.class)
        .hasMessageContaining("'Serial' was not supplied");
    assertThatThrownBy(() -> document.evaluate(Map.of("Serial", "a-b"), pseudo))
        .isInstanceOf(TemplateException.class)
        .hasMessageContaining("out of range");
  }

  @Test
  void badTemplatesAreRefusedWithTheReason() {
    String cert =
        "\"c\": {\"Type\": \"AWS::IoT::Certificate\", \"Properties\": {\"CertificateId\":"
            + " {\"Ref\": \"AWS::IoT::Certificate::Id\"}}}";
    assertRefused("{not json", "not valid JSON");
    assertRefused("[]", "must be a JSON object");
    assertRefused("{\"Parameters\": {}}", "non-empty 'Resources'");
    assertRefused(
        "{\"Resources\": {"
            + cert
            + ", \"x\": {\"Type\": \"AWS::S3::Bucket\", \"Properties\": {}}}}",
        "unknown Type 'AWS::S3::Bucket'");
    assertRefused(
        "{\"Resources\": {"
            + cert
            + ", \"t\": {\"Type\": \"AWS::IoT::Thing\", \"Properties\": {\"ThingName\":"
            + " {\"Ref\": \"Serial\"}}}}}",
        "undeclared parameter 'Serial'");
    assertRefused(
        "{\"Resources\": {"
            + cert
            + ", \"t\": {\"Type\": \"AWS::IoT::Thing\", \"Properties\": {\"ThingName\":"
            + " {\"Fn::Sub\": \"d-${Nope}\"}}}}}",
        "undeclared parameter 'Nope'");
    assertRefused(
        "{\"Resources\": {"
            + cert
            + ", \"t\": {\"Type\": \"AWS::IoT::Thing\", \"Properties\": {\"ThingName\":"
            + " {\"Fn::If\": [\"c\", \"a\", \"b\"]}}}}}",
        "unsupported function 'Fn::If'");
    assertRefused(
        "{\"Resources\": {"
            + cert
            + ", \"p\": {\"Type\": \"AWS::IoT::Policy\", \"Properties\": {}}}}",
        "exactly one of PolicyName or PolicyDocument");
    assertRefused(
        "{\"Resources\": {\"t\": {\"Type\": \"AWS::IoT::Thing\", \"Properties\": {\"ThingName\":"
            + " \"x\"}}}}",
        "exactly one AWS::IoT::Certificate");
    assertRefused(
        "{\"Parameters\": {\"A\": {\"Type\": \"Map\"}}, \"Resources\": {" + cert + "}}",
        "Type 'Map'");
    assertRefused("{\"Conditions\": {}, \"Resources\": {" + cert + "}}", "'Conditions'");
  }

  private static void assertRefused(String body, String reason) {
    assertThatThrownBy(() -> TemplateDocument.parse(body))
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining(reason);
  }

  private static final String GENUINE =
      """
      {"Parameters": {"Line": {"Type": "String"}, "SerialNumber": {"Type": "String"}},
       "Mamori::GenuineIdentity": {"Kind": "serial",
          "Value": {"Fn::Join": ["-", [{"Ref": "Line"}, {"Ref": "SerialNumber"}]]}},
       "Resources": {"certificate": {"Type": "AWS::IoT::Certificate",
          "Properties": {"CertificateId": {"Ref": "AWS::IoT::Certificate::Id"}}}}}
      """;

  @Test
  void theGenuineIdentityExtensionEvaluatesItsValueLikeAnyProperty() {
    ProvisioningPlan plan =
        TemplateDocument.parse(GENUINE)
            .evaluate(
                Map.of("Line", "L2", "SerialNumber", "77"),
                Map.of(TemplateDocument.CERTIFICATE_ID, "c"));
    assertThat(plan.genuineIdentity())
        .contains(
            new ProvisioningPlan.GenuineRequirement(
                io.mamori.hub.genuine.IdentityKind.SERIAL_NUMBER, Optional.of("L2-77")));
    ProvisioningPlan byKey =
        TemplateDocument.parse(
                """
                {"Mamori::GenuineIdentity": {"Kind": "PublicKeySha256"},
                 "Resources": {"certificate": {"Type": "AWS::IoT::Certificate",
                    "Properties": {"CertificateId": {"Ref": "AWS::IoT::Certificate::Id"}}}}}
                """)
            .evaluate(Map.of(), Map.of(TemplateDocument.CERTIFICATE_ID, "c"));
    assertThat(byKey.genuineIdentity())
        .contains(
            new ProvisioningPlan.GenuineRequirement(
                io.mamori.hub.genuine.IdentityKind.PUBLIC_KEY_SHA256, Optional.empty()));
    assertThatThrownBy(
            () -> TemplateDocument.parse(GENUINE.replace("\"serial\"", "\"PublicKeySha256\"")))
        .hasMessageContaining("takes no Value");
  }
}
