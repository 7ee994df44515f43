package io.mamori.hub.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mamori.hub.genuine.GenuineIdentities;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Genuineness check over real sockets: a template with {@code Mamori::GenuineIdentity} admits a
 * device only with an identity from the imported list, once; a clone (used, unknown or revoked
 * identity) gets AWS's rejected answer and a {@code provisioning.clone_suspected} event reaches the
 * audit log.
 */
class GenuineIdentityIT {
  static final String BY_SERIAL =
      """
      {"Parameters": {"SerialNumber": {"Type": "String"}},
       "Mamori::GenuineIdentity": {"Kind": "SerialNumber", "Value": {"Ref": "SerialNumber"}},
       "Resources": {
        "certificate": {"Type": "AWS::IoT::Certificate",
           "Properties": {"CertificateId": {"Ref": "AWS::IoT::Certificate::Id"}, "Status": "Active"}},
        "policy": {"Type": "AWS::IoT::Policy", "Properties": {"PolicyName": "open"}},
        "thing": {"Type": "AWS::IoT::Thing",
           "Properties": {"ThingName": {"Fn::Join": ["", ["g-", {"Ref": "SerialNumber"}]]}}}}}
      """;

  static final String BY_KEY =
      BY_SERIAL.replace(
          "{\"Kind\": \"SerialNumber\", \"Value\": {\"Ref\": \"SerialNumber\"}}",
          "{\"Kind\": \"PublicKeySha256\"}");

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private HubFixture hub;
  private DeviceClients devices;

  @BeforeEach
  void start() throws Exception {
    hub = new HubFixture(dir.resolve("data")).start();
    Path certs = dir.resolve("certs");
    assertThat(hub.createPolicy("claim", ProvisioningHousekeepingIT.CLAIM).exitCode()).isZero();
    assertThat(hub.createPolicy("open", ProvisioningHousekeepingIT.OPEN).exitCode()).isZero();
    hub.issueDevice("claim", "claim", certs);
    assertThat(hub.cli("thing", "delete", "claim").exitCode()).isZero();
    template("serial", BY_SERIAL);
    template("key", BY_KEY);
    devices = new DeviceClients(hub.mqttPort(), certs);
  }

  @AfterEach
  void stop() {
    hub.close();
  }

  private void template(String name, String body) throws Exception {
    Path file = dir.resolve(name + ".json");
    Files.writeString(file, body);
    var created = hub.cli("template", "create", name, "--document", file.toString(), "--enabled");
    assertThat(created.exitCode()).as(created.err()).isZero();
  }

  private ClaimDevice.Answer provision(
      ClaimDevice claim, String template, KeyPair key, String serial) throws Exception {
    ClaimDevice.Answer created = claim.createFromCsr(CsrFiles.pem(CsrFiles.csr("d", key)));
    assertThat(created.accepted()).as(created.body().toString()).isTrue();
    return claim.register(
        template,
        created.body().path("certificateOwnershipToken").asText(),
        Map.of("SerialNumber", serial));
  }

  private JsonNode identity(String kind, String value) throws Exception {
    var shown = hub.cli("genuine", "show", kind, value, "--json");
    assertThat(shown.exitCode()).as(shown.err()).isZero();
    return JSON.readTree(shown.out());
  }

  private List<JsonNode> auditedClones() {
    var export = hub.cli("audit", "export");
    assertThat(export.exitCode()).as(export.err()).isZero();
    return export
        .out()
        .lines()
        .map(
            line -> {
              try {
                return JSON.readTree(line).path("event");
              } catch (Exception e) {
                throw new AssertionError(line, e);
              }
            })
        .filter(e -> e.path("type").asText().equals("provisioning.clone_suspected"))
        .toList();
  }

  private static void assertRefused(ClaimDevice.Answer answer, String reason) {
    assertThat(answer.outcome()).isEqualTo("rejected");
    // Reference §1.2: the rejected shape, nothing more.
    assertThat(answer.body().size()).isEqualTo(3);
    assertThat(answer.body().path("statusCode").asInt()).isEqualTo(403);
    assertThat(answer.body().path("errorCode").asText()).isEqualTo("AccessDeniedException");
    assertThat(answer.body().path("errorMessage").asText()).contains(reason);
  }

  @Test
  void onlyListedUnusedSerialsProvisionAndClonesAreRefusedAndAudited() throws Exception {
    Path ids = dir.resolve("ids.csv");
    Files.writeString(ids, "kind,value\nSerialNumber,SN-1\nSerialNumber,SN-2\n# spare\nSN-3\n");
    var missingKind = hub.cli("genuine", "import", "--file", ids.toString());
    assertThat(missingKind.exitCode()).isNotZero();
    assertThat(missingKind.err()).contains("ids.csv line 5").contains("--kind");
    var imported = hub.cli("genuine", "import", "--file", ids.toString(), "--kind", "SerialNumber");
    assertThat(imported.exitCode()).as(imported.err()).isZero();
    assertThat(imported.out()).contains("imported 3 identities: 3 new");
    assertThat(hub.cli("genuine", "revoke", "serial", "SN-3").exitCode()).isZero();

    try (ClaimDevice claim = new ClaimDevice(devices.mqtt5("claim", "line-1"), "serial")) {
      ClaimDevice.Answer genuine = provision(claim, "serial", CsrFiles.ecP256(), "SN-1");
      assertThat(genuine.accepted()).as(genuine.body().toString()).isTrue();
      assertThat(genuine.body().path("thingName").asText()).isEqualTo("g-SN-1");
      JsonNode used = identity("SerialNumber", "SN-1");
      assertThat(used.path("status").asText()).isEqualTo("USED");
      assertThat(used.path("thingName").asText()).isEqualTo("g-SN-1");

      // A clone with the same serial, and one with a serial nobody listed.
      assertRefused(provision(claim, "serial", CsrFiles.ecP256(), "SN-1"), "already been used");
      assertRefused(provision(claim, "serial", CsrFiles.ecP256(), "SN-999"), "not on the list");
      assertRefused(provision(claim, "serial", CsrFiles.ecP256(), "SN-3"), "revoked");
      // Nothing was half applied for the refused devices.
      assertThat(hub.cli("thing", "show", "g-SN-999").exitCode()).isNotZero();
      assertThat(identity("SerialNumber", "SN-2").path("status").asText()).isEqualTo("AVAILABLE");
    }

    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(() -> assertThat(auditedClones()).hasSize(3));
    List<JsonNode> clones = auditedClones();
    assertThat(clones).allSatisfy(e -> assertThat(e.path("outcome").asText()).isEqualTo("denied"));
    assertThat(clones.get(0).path("details").path("why").asText()).isEqualTo("ALREADY_USED");
    assertThat(clones.get(0).path("details").path("usedBy").asText()).isEqualTo("g-SN-1");
    assertThat(clones.get(0).path("details").path("identity").asText()).isEqualTo("SN-1");
    assertThat(clones.get(1).path("details").path("why").asText()).isEqualTo("UNKNOWN");
    assertThat(clones.get(2).path("details").path("why").asText()).isEqualTo("REVOKED");
  }

  @Test
  void aTemplateCanRequireTheDevicesPublicKeyToBeListed() throws Exception {
    KeyPair listed = CsrFiles.ecP256();
    Path ids = dir.resolve("keys.jsonl");
    Files.writeString(
        ids,
        "{\"kind\": \"PublicKeySha256\", \"value\": \""
            + GenuineIdentities.fingerprint(listed.getPublic())
            + "\"}\n");
    var imported = hub.cli("genuine", "import", "--file", ids.toString());
    assertThat(imported.exitCode()).as(imported.err()).isZero();
    try (ClaimDevice claim = new ClaimDevice(devices.mqtt5("claim", "line-2"), "key")) {
      assertRefused(provision(claim, "key", CsrFiles.ecP256(), "K-1"), "not on the list");
      ClaimDevice.Answer genuine = provision(claim, "key", listed, "K-2");
      assertThat(genuine.accepted()).as(genuine.body().toString()).isTrue();
      // The same key again (a cloned key pair) is refused even under another serial.
      assertRefused(provision(claim, "key", listed, "K-3"), "already been used");
    }
    var list = hub.cli("genuine", "list", "--status", "USED");
    assertThat(list.out()).contains("PublicKeySha256").contains("g-K-2");
  }

  @Test
  void aTemplateWithABadGenuinenessSettingIsRefusedWithTheReason() throws Exception {
    Path file = dir.resolve("bad.json");
    Files.writeString(file, BY_SERIAL.replace("\"Kind\": \"SerialNumber\"", "\"Kind\": \"Imei\""));
    var refused = hub.cli("template", "create", "bad", "--document", file.toString());
    assertThat(refused.exitCode()).isNotZero();
    assertThat(refused.err()).contains("unknown identity kind 'Imei'");
    Files.writeString(
        file, BY_SERIAL.replace("{\"Ref\": \"SerialNumber\"}}", "{\"Ref\": \"Nope\"}}"));
    var undeclared = hub.cli("template", "create", "bad", "--document", file.toString());
    assertThat(undeclared.exitCode()).isNotZero();
    assertThat(undeclared.err()).contains("Nope");
  }
}
