package io.mamori.hub.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mamori.hub.pki.Openssl;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `mamori cert issue-bulk` against a running hub: CSRs in, certificates out, resumable. */
class BulkIssuanceIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path temp;
  private HubFixture hub;

  @BeforeEach
  void start() throws Exception {
    hub = new HubFixture(temp.resolve("data")).start();
    assertThat(hub.createPolicy("device", Policies.DEVICE).exitCode()).isZero();
  }

  @AfterEach
  void stop() {
    hub.close();
  }

  @Test
  void csrsInCertificatesOutThatOpensslVerifiesAndABadCsrFailsAlone() throws Exception {
    Openssl.requireInstalled();
    Path csrs = temp.resolve("csrs");
    CsrFiles.write(csrs, "sensor-", 24);
    Files.writeString(csrs.resolve("sensor-bad.csr"), CsrFiles.badSignature("sensor-bad"));
    Files.writeString(csrs.resolve("sensor-junk.csr"), "not a CSR at all\n");
    Path out = temp.resolve("out");

    var run =
        hub.cli(
            "cert",
            "issue-bulk",
            "--csr-dir",
            csrs.toString(),
            "--out",
            out.toString(),
            "--policy",
            "device",
            "--create-things",
            "--batch-size",
            "10");

    assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
    assertThat(run.err()).contains("2 of 26 inputs failed");
    assertThat(run.out()).contains("24 issued, 0 already issued, 2 failed");
    Map<String, JsonNode> results = results(out);
    assertThat(results).hasSize(26);
    assertThat(results.get("sensor-bad.csr").path("error").asText())
        .contains("CSR rejected")
        .contains("signature");
    assertThat(results.get("sensor-junk.csr").path("error").asText()).contains("CSR");
    List<String> files = new ArrayList<>();
    for (int i = 0; i < 24; i++) {
      JsonNode result = results.get(String.format("sensor-%05d.csr", i));
      assertThat(result.path("certificateId").asText()).matches("[0-9a-f]{64}");
      files.add(out.resolve(result.path("file").asText()).toString());
    }
    List<String> verify = new ArrayList<>(List.of("verify", "-purpose", "sslclient", "-CAfile"));
    verify.add(out.resolve("ca.crt").toString());
    verify.addAll(files);
    var verified = Openssl.run(verify.toArray(String[]::new));
    assertThat(verified.exitCode()).as(verified.output()).isZero();
    assertThat(verified.output().lines().filter(l -> l.endsWith(": OK"))).hasSize(24);

    // Each certificate is registered, attached to its (created) thing and to the policy.
    var shown = hub.cli("thing", "show", "sensor-00007", "--json");
    assertThat(shown.exitCode()).as(shown.err()).isZero();
    assertThat(certificateIds()).hasSize(24);
    var decision =
        hub.cli(
            "policy",
            "test",
            "--cert",
            results.get("sensor-00007.csr").path("certificateId").asText(),
            "--action",
            "iot:Publish",
            "--resource",
            "devices/sensor-00007/temp");
    assertThat(decision.exitCode()).as(decision.err() + decision.out()).isZero();
    assertThat(decision.out().toLowerCase()).contains("allow");
  }

  @Test
  void answersLostInACrashAreRecoveredOnReRunWithoutIssuingTwice() throws Exception {
    Path csrs = temp.resolve("csrs");
    CsrFiles.write(csrs, "line-", 40);
    Path out = temp.resolve("out");
    String[] command = {
      "cert",
      "issue-bulk",
      "--csr-dir",
      csrs.toString(),
      "--out",
      out.toString(),
      "--create-things",
      "--batch-size",
      "8"
    };
    var first = hub.cli(command);
    assertThat(first.exitCode()).as(first.err()).isZero();
    Map<String, JsonNode> before = results(out);

    // What a crash after the hub committed but before the client saved leaves: the results file
    // cut short and some certificate files never written.
    List<String> lines = Files.readAllLines(out.resolve("results.jsonl"));
    Files.write(out.resolve("results.jsonl"), lines.subList(0, 25));
    for (String line : lines.subList(25, 40)) {
      Files.deleteIfExists(out.resolve(JSON.readTree(line).path("file").asText()));
    }
    Files.writeString(
        out.resolve("results.jsonl"),
        "{\"input\":\"line-000",
        java.nio.file.StandardOpenOption.APPEND);

    var second = hub.cli(command);

    assertThat(second.exitCode()).as(second.err()).isZero();
    assertThat(second.out()).contains("0 issued, 15 already issued, 0 failed, 25 skipped");
    Map<String, JsonNode> after = results(out);
    assertThat(after).hasSize(40);
    for (var entry : before.entrySet()) {
      assertThat(after.get(entry.getKey()).path("certificateId").asText())
          .as(entry.getKey())
          .isEqualTo(entry.getValue().path("certificateId").asText());
      assertThat(out.resolve(after.get(entry.getKey()).path("file").asText())).exists();
    }
    assertThat(certificateIds()).hasSize(40);

    var third = hub.cli(command);
    assertThat(third.exitCode()).as(third.err()).isZero();
    assertThat(third.out()).contains("0 issued, 0 already issued, 0 failed, 40 skipped");
    assertThat(certificateIds()).hasSize(40);
  }

  @Test
  void interruptedRunResumesWithoutDuplicates() throws Exception {
    Path csrs = temp.resolve("csrs");
    CsrFiles.write(csrs, "unit-", 300);
    Path out = temp.resolve("out");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.mamori.hub.cli.Main"));
    command.addAll(
        List.of(
            "cert",
            "issue-bulk",
            "--csr-dir",
            csrs.toString(),
            "--out",
            out.toString(),
            "--create-things",
            "--batch-size",
            "5",
            "--parallel",
            "1",
            "--data",
            hub.dataDir().toString()));
    Process cli =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(temp.resolve("cli.log").toFile())
            .start();
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(120))
        .until(
            () ->
                !cli.isAlive()
                    || Files.exists(out.resolve("results.jsonl"))
                        && Files.readAllLines(out.resolve("results.jsonl")).size() >= 20);
    cli.destroyForcibly().waitFor();

    var resumed =
        hub.cli(
            "cert",
            "issue-bulk",
            "--csr-dir",
            csrs.toString(),
            "--out",
            out.toString(),
            "--create-things");

    assertThat(resumed.exitCode()).as(resumed.err()).isZero();
    Map<String, JsonNode> results = results(out);
    assertThat(results).hasSize(300);
    Set<String> ids = new HashSet<>();
    results.values().forEach(r -> ids.add(r.path("certificateId").asText()));
    assertThat(ids).hasSize(300);
    assertThat(certificateIds()).containsExactlyInAnyOrderElementsOf(ids);
  }

  /** The last line of each input in the results file. */
  private static Map<String, JsonNode> results(Path out) throws Exception {
    Map<String, JsonNode> results = new HashMap<>();
    for (String line : Files.readAllLines(out.resolve("results.jsonl"))) {
      try {
        JsonNode node = JSON.readTree(line);
        results.put(node.path("input").asText(), node);
      } catch (java.io.IOException e) {
        // a line a crash cut short
      }
    }
    return results;
  }

  private List<String> certificateIds() throws Exception {
    var listed = hub.cli("cert", "list", "--json");
    assertThat(listed.exitCode()).as(listed.err()).isZero();
    List<String> ids = new ArrayList<>();
    JSON.readTree(listed.out()).path("certificates").forEach(c -> ids.add(c.path("id").asText()));
    return ids;
  }
}
