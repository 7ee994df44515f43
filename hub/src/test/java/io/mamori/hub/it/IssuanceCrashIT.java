package io.mamori.hub.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} of the hub process while it issues certificates (a bulk run and single API
 * issues) and writes the registry: after a restart the database is intact, every certificate a
 * client was given is registered with its thing and policy, no thing or certificate is left half
 * made, and the bulk run resumes without a second certificate for any key.
 */
class IssuanceCrashIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int CSRS = 120;

  @TempDir Path temp;
  private HubProcess hub;
  private Process bulk;

  @AfterEach
  void stop() throws Exception {
    if (bulk != null) {
      bulk.destroyForcibly().waitFor();
    }
    if (hub != null) {
      hub.close();
    }
  }

  @Test
  void killDuringIssuanceLeavesAConsistentRegistryAndAResumableBatch() throws Exception {
    Path data = temp.resolve("data");
    hub = HubProcess.start(data, Map.of()).awaitRunning();
    Path policy = temp.resolve("device.json");
    Files.writeString(policy, Policies.DEVICE);
    assertThat(hub.cli("policy", "create", "device", "--document", policy.toString()).exitCode())
        .isZero();
    Path csrs = temp.resolve("csrs");
    CsrFiles.write(csrs, "unit-", CSRS);
    Path out = temp.resolve("out");
    String[] bulkArgs = {
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
      "4",
      "--parallel",
      "2"
    };

    bulk = startCli(bulkArgs, data);
    Map<String, String> apiIssued = new ConcurrentHashMap<>();
    AtomicBoolean apiStopped = new AtomicBoolean();
    Thread api = new Thread(() -> issueUntilRefused(apiIssued, apiStopped), "api-issuer");
    api.start();
    Awaitility.await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> resultLines(out) >= CSRS / 4 && apiIssued.size() >= 3);
    hub.kill();
    api.join(30_000);
    assertThat(bulk.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    Map<String, String> bulkBefore = bulkResults(out);

    try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("mamori.db"))) {
      assertThat(column(db, "PRAGMA integrity_check")).containsExactly("ok");
      assertThat(column(db, "PRAGMA foreign_key_check")).isEmpty();
      Set<String> registered = new HashSet<>(column(db, "SELECT id FROM certificates"));
      assertThat(registered).containsAll(apiIssued.values()).containsAll(bulkBefore.values());
      // Every certificate here was issued for a thing and with the policy: none lacks either.
      assertThat(
              column(
                  db,
                  "SELECT id FROM certificates WHERE id NOT IN"
                      + " (SELECT certificate_id FROM certificate_things)"
                      + " OR id NOT IN (SELECT certificate_id FROM policy_certificates)"))
          .isEmpty();
      // The bulk run creates each thing with its certificate, in one transaction.
      assertThat(
              column(
                  db,
                  "SELECT name FROM things WHERE name LIKE 'unit-%' AND name NOT IN"
                      + " (SELECT thing_name FROM certificate_things)"))
          .isEmpty();
      for (var issued : apiIssued.entrySet()) {
        assertThat(
                column(
                    db,
                    "SELECT thing_name FROM certificate_things WHERE certificate_id = '"
                        + issued.getValue()
                        + "'"))
            .containsExactly(issued.getKey());
      }
    }

    hub = HubProcess.restart(data).awaitRunning();
    var resumed = hub.cli(bulkArgs);
    assertThat(resumed.exitCode()).as(resumed.err() + resumed.out()).isZero();
    Map<String, String> bulkAfter = bulkResults(out);
    assertThat(bulkAfter).hasSize(CSRS).containsAllEntriesOf(bulkBefore);
    assertThat(new HashSet<>(bulkAfter.values())).hasSize(CSRS);
    var listed = hub.cli("cert", "list", "--json");
    assertThat(listed.exitCode()).as(listed.err()).isZero();
    List<String> unitCertificates = new ArrayList<>();
    JSON.readTree(listed.out())
        .path("certificates")
        .forEach(
            c -> {
              if (!apiIssued.containsValue(c.path("id").asText())) {
                unitCertificates.add(c.path("id").asText());
              }
            });
    // One certificate per key of the batch, whatever the crash cut: none issued twice. (API
    // issues that committed while their answer was lost in the kill are the only others.)
    assertThat(unitCertificates).containsAll(bulkAfter.values());
    assertThat(unitCertificates.size() - CSRS).isLessThanOrEqualTo(1);
    var shown = hub.cli("thing", "show", "unit-00007", "--json");
    assertThat(shown.exitCode()).as(shown.err()).isZero();
  }

  /** Single issues through the admin API, as a provisioning script makes them, until refused. */
  private void issueUntilRefused(Map<String, String> issued, AtomicBoolean stopped) {
    Path certs = temp.resolve("api-certs");
    for (int i = 0; ; i++) {
      String thing = "api-" + i;
      var created = hub.cli("thing", "create", thing, "--attr", "line=" + (i % 3));
      if (created.exitCode() != 0) {
        break;
      }
      var cert =
          hub.cli(
              "cert", "issue", "--thing", thing, "--policy", "device", "--out", certs.toString());
      if (cert.exitCode() != 0) {
        break;
      }
      issued.put(thing, cert.out().strip());
    }
    stopped.set(true);
  }

  private Process startCli(String[] args, Path data) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.mamori.hub.cli.Main"));
    command.addAll(List.of(args));
    command.addAll(List.of("--data", data.toString()));
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(temp.resolve("bulk.log").toFile())
        .start();
  }

  private static long resultLines(Path out) throws Exception {
    Path results = out.resolve("results.jsonl");
    return Files.exists(results) ? Files.readAllLines(results).size() : 0;
  }

  /** Input file to certificate id, from the last complete line of each input. */
  private static Map<String, String> bulkResults(Path out) throws Exception {
    Map<String, String> results = new HashMap<>();
    Path file = out.resolve("results.jsonl");
    if (!Files.exists(file)) {
      return results;
    }
    for (String line : Files.readAllLines(file)) {
      try {
        JsonNode node = JSON.readTree(line);
        if (node.hasNonNull("certificateId")) {
          results.put(node.path("input").asText(), node.path("certificateId").asText());
        }
      } catch (java.io.IOException e) {
        // a line the kill cut short
      }
    }
    return results;
  }

  private static List<String> column(Connection db, String sql) throws SQLException {
    List<String> values = new ArrayList<>();
    try (var statement = db.createStatement();
        var rows = statement.executeQuery(sql)) {
      while (rows.next()) {
        values.add(rows.getString(1));
      }
    }
    return values;
  }
}
