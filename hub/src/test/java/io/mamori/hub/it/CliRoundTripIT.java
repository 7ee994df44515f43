package io.mamori.hub.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI round trip of the README, run as written against a live hub. */
class CliRoundTripIT {
  private final ObjectMapper json = new ObjectMapper();
  @TempDir Path dir;
  private HubFixture hub;

  @BeforeEach
  void start() throws Exception {
    hub = new HubFixture(dir.resolve("data")).start();
  }

  @AfterEach
  void stop() {
    hub.close();
  }

  @Test
  void firstStartCreatesCaTokenAndEndpointFile() throws Exception {
    Path data = hub.dataDir();
    assertThat(data.resolve("pki/ca-chain.pem")).exists();
    assertThat(Files.getPosixFilePermissions(data.resolve("admin.token")))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    assertThat(Files.getPosixFilePermissions(data.resolve("pki/issuing-ca.key")))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    JsonNode endpoint = json.readTree(data.resolve("endpoint.json").toFile());
    assertThat(endpoint.path("mqtt").path("port").asInt()).isEqualTo(hub.mqttPort());
    assertThat(endpoint.path("api").path("url").asText()).startsWith("https://127.0.0.1:");

    var chain = hub.cli("ca", "cert");
    assertThat(chain.exitCode()).isZero();
    assertThat(chain.out()).contains("-----BEGIN CERTIFICATE-----");
    assertThat(chain.out().strip())
        .isEqualTo(Files.readString(data.resolve("pki/ca-chain.pem")).strip());
  }

  @Test
  void aSecondHubOnTheSameDataDirectoryRefusesToStart() {
    var second = new HubFixture(hub.dataDir());
    org.assertj.core.api.Assertions.assertThatThrownBy(second::start)
        .hasMessageContaining("another hub is already running");
    // The running hub is untouched.
    assertThat(hub.dataDir().resolve("endpoint.json")).exists();
    assertThat(hub.cli("thing", "list").exitCode()).isZero();
  }

  @Test
  void readmeRoundTrip() throws Exception {
    Path certs = dir.resolve("certs");
    assertThat(hub.createPolicy("device-policy", Policies.DEVICE).exitCode()).isZero();
    String id = hub.issueDevice("sensor-1", "device-policy", certs, "model=th-100");
    assertThat(id).matches("[0-9a-f]{64}");
    assertThat(certs.resolve("sensor-1.crt")).exists();
    assertThat(certs.resolve("ca.crt")).exists();
    assertThat(Files.getPosixFilePermissions(certs.resolve("sensor-1.key")))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));

    JsonNode things = json.readTree(hub.cli("thing", "list", "--json").out());
    assertThat(things.toString()).contains("sensor-1").contains("th-100");
    JsonNode cert = json.readTree(hub.cli("cert", "show", id, "--json").out());
    assertThat(cert.toString()).contains("ACTIVE").contains("sensor-1").contains("device-policy");
    assertThat(hub.cli("cert", "list").out()).contains(id);
    assertThat(hub.cli("policy", "list").out()).contains("device-policy");

    var allowed =
        hub.cli(
            "policy",
            "test",
            "--cert",
            id,
            "--action",
            "iot:Publish",
            "--resource",
            "devices/sensor-1/temp");
    assertThat(allowed.exitCode()).isZero();
    assertThat(allowed.out().toLowerCase()).contains("allow").contains("devices/sensor-1/");
    var denied =
        hub.cli(
            "policy",
            "test",
            "--cert",
            id,
            "--action",
            "iot:Publish",
            "--resource",
            "devices/sensor-2/temp");
    assertThat(denied.out().toLowerCase()).contains("deny");

    assertThat(hub.cli("policy", "delete", "device-policy").exitCode()).isNotZero();
    assertThat(hub.cli("policy", "detach", "device-policy", "--cert", id).exitCode()).isZero();
    assertThat(hub.cli("policy", "attach", "device-policy", "--cert", id).exitCode()).isZero();
    assertThat(hub.cli("cert", "deactivate", id).exitCode()).isZero();
    assertThat(hub.cli("cert", "show", id).out()).contains("INACTIVE");
    assertThat(hub.cli("cert", "activate", id).exitCode()).isZero();
    assertThat(hub.cli("cert", "revoke", id).exitCode()).isZero();
    assertThat(hub.cli("cert", "show", id).out()).contains("REVOKED");
    assertThat(hub.cli("thing", "delete", "sensor-1").exitCode()).isZero();
    assertThat(hub.cli("thing", "show", "sensor-1").exitCode()).isNotZero();
  }

  @Test
  void issueFromCsrKeepsTheKeyOnTheDevice() throws Exception {
    Path certs = dir.resolve("certs");
    assertThat(hub.cli("thing", "create", "camera-7").exitCode()).isZero();
    var keys = TestCertificates.p256();
    var csr =
        new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=camera-7"), keys.getPublic())
            .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate()));
    Path csrFile = dir.resolve("camera-7.csr");
    Files.writeString(csrFile, TestCertificates.pem(csr));

    var issued =
        hub.cli(
            "cert",
            "issue",
            "--thing",
            "camera-7",
            "--csr",
            csrFile.toString(),
            "--out",
            certs.toString());
    assertThat(issued.exitCode()).as(issued.err()).isZero();
    assertThat(certs.resolve("camera-7.crt")).exists();
    assertThat(certs.resolve("camera-7.key")).doesNotExist();
    var certificate = TestCertificates.readCertificate(certs.resolve("camera-7.crt"));
    assertThat(certificate.getPublicKey()).isEqualTo(keys.getPublic());
  }

  @Test
  void policyWithASyntaxErrorIsRefusedWithAClearMessage() throws Exception {
    var broken = hub.createPolicy("broken", "{\"Version\": \"2012-10-17\", \"Statement\": [");
    assertThat(broken.exitCode()).isNotZero();
    assertThat(broken.err()).startsWith("mamori: ").doesNotContain("Exception");
    assertThat(broken.err().strip().lines()).hasSize(1);

    var unsupported =
        hub.createPolicy(
            "odd",
            """
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iot:Publish",
             "Resource": "*", "Condition": {"NumericLessThanFoo": {"x": "1"}}}]}
            """);
    assertThat(unsupported.exitCode()).isNotZero();
    assertThat(unsupported.err()).contains("NumericLessThanFoo");
    assertThat(hub.cli("policy", "list").out()).doesNotContain("broken").doesNotContain("odd");
  }

  @Test
  void failuresExitNonZeroWithOneLine() {
    var missing = hub.cli("thing", "show", "nope");
    assertThat(missing.exitCode()).isNotZero();
    assertThat(missing.err().strip().lines()).hasSize(1);
    var badName = hub.cli("thing", "create", "bad name!");
    assertThat(badName.exitCode()).isNotZero();
    assertThat(badName.err()).startsWith("mamori: ");
    var noThing = hub.cli("cert", "issue", "--thing", "ghost", "--out", dir.toString());
    assertThat(noThing.exitCode()).isNotZero();
  }
}
