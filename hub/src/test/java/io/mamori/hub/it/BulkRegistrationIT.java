package io.mamori.hub.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mamori.hub.pki.CertificateIds;
import io.mamori.hub.pki.ManufacturerCa;
import io.mamori.hub.pki.Pem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mamori provision bulk} against a running hub: CSR and certificate lines, failed lines with
 * reasons and nothing half applied, and re-runs that never create anything twice.
 */
class BulkRegistrationIT {
  static final String TEMPLATE =
      """
      {"Parameters": {"SerialNumber": {"Type": "String"},
                      "Group": {"Type": "String", "Default": "line-a"}},
       "Mamori::GenuineIdentity": {"Kind": "SerialNumber", "Value": {"Ref": "SerialNumber"}},
       "Resources": {
        "certificate": {"Type": "AWS::IoT::Certificate",
           "Properties": {"CertificateId": {"Ref": "AWS::IoT::Certificate::Id"}, "Status": "Active"}},
        "policy": {"Type": "AWS::IoT::Policy", "Properties": {"PolicyName": "open"}},
        "thing": {"Type": "AWS::IoT::Thing",
           "Properties": {"ThingName": {"Fn::Join": ["", ["b-", {"Ref": "SerialNumber"}]]},
                          "ThingGroups": [{"Ref": "Group"}]}}}}
      """;

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private HubFixture hub;

  @BeforeEach
  void start() throws Exception {
    hub = new HubFixture(dir.resolve("data")).start();
    assertThat(hub.createPolicy("open", ProvisioningHousekeepingIT.OPEN).exitCode()).isZero();
    assertThat(hub.cli("group", "create", "line-a").exitCode()).isZero();
    Path template = dir.resolve("bulk.json");
    Files.writeString(template, TEMPLATE);
    var created = hub.cli("template", "create", "bulk", "--document", template.toString());
    assertThat(created.exitCode()).as(created.err()).isZero();
    Path ids = dir.resolve("serials.csv");
    Files.writeString(ids, "1\n2\n3\n4\n5\n");
    assertThat(
            hub.cli("genuine", "import", "--file", ids.toString(), "--kind", "serial").exitCode())
        .isZero();
  }

  @AfterEach
  void stop() {
    hub.close();
  }

  private String registerCa(ManufacturerCa ca) throws Exception {
    String code = hub.cli("ca", "registration-code").id();
    Path caFile = dir.resolve("factory-ca.pem");
    Files.writeString(caFile, ca.pem());
    Path verification = dir.resolve("verification.pem");
    Files.writeString(verification, Pem.encodeCertificate(ca.verificationCertificate(code)));
    var registered =
        hub.cli(
            "ca",
            "register",
            "--cert",
            caFile.toString(),
            "--verification-cert",
            verification.toString(),
            "--set-active");
    assertThat(registered.exitCode()).as(registered.err()).isZero();
    return registered.id();
  }

  private static String line(Map<String, String> parameters, String field, String value) {
    ObjectNode node = JSON.createObjectNode();
    node.set("parameters", JSON.valueToTree(parameters));
    if (field != null) {
      node.put(field, value);
    }
    return node.toString();
  }

  private int certificateCount() throws Exception {
    return JSON.readTree(hub.cli("cert", "list", "--json").out()).path("certificates").size();
  }

  private List<JsonNode> results(Path file) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    for (String line : Files.readAllLines(file)) {
      out.add(JSON.readTree(line));
    }
    return out;
  }

  @Test
  void registersEachLineAllOrNothingReportsReasonsAndReRunsWithoutDuplicates() throws Exception {
    ManufacturerCa factory = ManufacturerCa.create("Factory CA 7");
    registerCa(factory);
    X509Certificate made = factory.device(ManufacturerCa.p256(), "device-3", Duration.ofDays(365));
    Files.writeString(dir.resolve("d1.csr"), CsrFiles.pem(CsrFiles.csr("d1", CsrFiles.ecP256())));
    Path input = dir.resolve("devices.jsonl");
    Files.write(
        input,
        List.of(
            line(Map.of("SerialNumber", "1"), "csrFile", "d1.csr"),
            line(
                Map.of("SerialNumber", "2"),
                "csr",
                CsrFiles.pem(CsrFiles.csr("d2", CsrFiles.ecP256()))),
            line(Map.of("SerialNumber", "3"), "certificate", Pem.encodeCertificate(made)),
            // Fails inside the transaction, after certificate and thing were written.
            line(
                Map.of("SerialNumber", "4", "Group", "nope"),
                "csr",
                CsrFiles.pem(CsrFiles.csr("d4", CsrFiles.ecP256()))),
            line(
                Map.of("SerialNumber", "99"),
                "csr",
                CsrFiles.pem(CsrFiles.csr("d99", CsrFiles.ecP256()))),
            line(Map.of("SerialNumber", "5"), null, null),
            "not json",
            line(Map.of("SerialNumber", "5"), "csr", CsrFiles.badSignature("d5"))));
    int before = certificateCount();
    Path results = dir.resolve("run1.jsonl");
    Path out = dir.resolve("certs");

    var first =
        hub.cli(
            "provision",
            "bulk",
            "--template",
            "bulk",
            "--input",
            input.toString(),
            "--results",
            results.toString(),
            "--out",
            out.toString(),
            "--batch-size",
            "3");
    assertThat(first.exitCode()).isEqualTo(1);
    assertThat(first.err()).contains("5 of 8 lines failed");
    assertThat(first.out()).contains("3 registered, 0 already done, 5 failed");
    List<JsonNode> run1 = results(results);
    assertThat(run1)
        .extracting(r -> r.path("line").asInt())
        .containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
    assertThat(run1)
        .extracting(r -> r.path("status").asText())
        .containsExactly(
            "REGISTERED",
            "REGISTERED",
            "REGISTERED",
            "FAILED",
            "FAILED",
            "FAILED",
            "FAILED",
            "FAILED");
    assertThat(run1.get(0).path("thingName").asText()).isEqualTo("b-1");
    assertThat(run1.get(2).path("certificateId").asText()).isEqualTo(CertificateIds.of(made));
    assertThat(run1.get(3).path("reason").asText()).contains("nope");
    assertThat(run1.get(4).path("reason").asText()).contains("not on the list");
    assertThat(run1.get(5).path("reason").asText()).contains("exactly one of");
    assertThat(run1.get(6).path("reason").asText()).contains("not a JSON object");
    assertThat(run1.get(7).path("reason").asText()).contains("CSR rejected");
    assertThat(Files.readString(out.resolve("b-1.crt"))).startsWith("-----BEGIN CERTIFICATE-----");

    // Applied: thing, certificate ACTIVE and attached, policy, group, genuine serial used.
    JsonNode thing = JSON.readTree(hub.cli("thing", "show", "b-3", "--json").out());
    assertThat(thing.toString()).contains(CertificateIds.of(made));
    JsonNode cert = JSON.readTree(hub.cli("cert", "show", CertificateIds.of(made), "--json").out());
    assertThat(cert.path("status").asText()).isEqualTo("ACTIVE");
    assertThat(cert.toString()).contains("open");
    // Nothing half applied for the failed lines.
    assertThat(hub.cli("thing", "show", "b-4").exitCode()).isNotZero();
    assertThat(hub.cli("thing", "show", "b-99").exitCode()).isNotZero();
    assertThat(
            JSON.readTree(hub.cli("genuine", "show", "SerialNumber", "4", "--json").out())
                .path("status")
                .asText())
        .isEqualTo("AVAILABLE");
    assertThat(certificateCount()).isEqualTo(before + 3);

    // The same file again: applied lines are reported, nothing is created twice.
    Path again = dir.resolve("run2.jsonl");
    var second =
        hub.cli(
            "provision",
            "bulk",
            "--template",
            "bulk",
            "--input",
            input.toString(),
            "--results",
            again.toString());
    assertThat(second.exitCode()).isEqualTo(1);
    List<JsonNode> run2 = results(again);
    assertThat(run2.subList(0, 3))
        .extracting(r -> r.path("status").asText())
        .containsOnly("ALREADY_DONE");
    assertThat(run2.subList(0, 3))
        .extracting(r -> r.path("certificateId").asText())
        .containsExactlyElementsOf(
            run1.subList(0, 3).stream().map(r -> r.path("certificateId").asText()).toList());
    assertThat(certificateCount()).isEqualTo(before + 3);

    // The failing group created: that line now applies, the others stay done.
    assertThat(hub.cli("group", "create", "nope").exitCode()).isZero();
    var third =
        hub.cli(
            "provision",
            "bulk",
            "--template",
            "bulk",
            "--input",
            input.toString(),
            "--results",
            dir.resolve("run3.jsonl").toString());
    assertThat(third.out()).contains("1 registered, 3 already done, 4 failed");
    assertThat(certificateCount()).isEqualTo(before + 4);
  }
}
