package io.mamori.hub.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.mamori.hub.cli.Hub;
import io.mamori.hub.cli.Main;
import io.mamori.hub.config.HubConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/** A real hub on ephemeral ports over a temporary data directory, and its CLI. */
final class HubFixture implements AutoCloseable {
  private final Path dataDir;
  private Hub hub;

  HubFixture(Path dataDir) {
    this.dataDir = dataDir;
  }

  private final java.util.Set<String> subscriptions =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  private final java.util.List<String> deniedConnects =
      new java.util.concurrent.CopyOnWriteArrayList<>();

  /** Who (the principal id, or "unknown") each refused CONNECT came from. */
  java.util.List<String> deniedConnects() {
    return deniedConnects;
  }

  HubFixture start() throws Exception {
    HubConfig defaults = HubConfig.defaults(dataDir);
    HubConfig config =
        new HubConfig(
            dataDir,
            "127.0.0.1",
            0,
            "127.0.0.1",
            0,
            List.of(),
            defaults.region(),
            defaults.accountId(),
            defaults.deviceCertificateDays(),
            defaults.limits());
    hub = Hub.start(config);
    hub.events()
        .subscribe(
            e -> {
              if (e.type().equals("mqtt.connect") && e.outcome().equals("denied")) {
                deniedConnects.add(e.actor());
              }
              if (e.type().equals("mqtt.subscribe") && e.outcome().equals("success")) {
                subscriptions.add(e.subject() + " " + e.details().get("topicFilter"));
              }
            });
    return this;
  }

  /** Graceful stop and start again on the same data directory (new ports). */
  HubFixture restart() throws Exception {
    hub.close();
    return start();
  }

  /** Waits until the hub has granted {@code clientId} a subscription to {@code filter}. */
  void awaitSubscription(String clientId, String filter) {
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(15))
        .until(() -> subscriptions.contains(clientId + " " + filter));
  }

  Hub hub() {
    return hub;
  }

  int mqttPort() {
    return hub.mqttPort();
  }

  Path dataDir() {
    return dataDir;
  }

  /** Runs a CLI command as a user would, finding the hub through {@code --data}. */
  CliResult cli(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    // Options of a subcommand go after its name; --data is a client option of every command.
    all.add("--data");
    all.add(dataDir.toString());
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine command = Main.newCommandLine();
    command.setOut(new PrintWriter(out, true));
    command.setErr(new PrintWriter(err, true));
    int exit = command.execute(all.toArray(String[]::new));
    return new CliResult(exit, out.toString(), err.toString());
  }

  /** Writes a policy document to a file and creates it through the CLI. */
  CliResult createPolicy(String name, String document) throws Exception {
    Path file = Files.createTempFile(dataDir, name, ".json");
    Files.writeString(file, document);
    return cli("policy", "create", name, "--document", file.toString());
  }

  /**
   * Creates {@code thing} (with {@code attributes}, each {@code key=value}) and issues it a
   * certificate with {@code policy} attached, writing the key, certificate and CA into {@code
   * certsDir}, as an operator would. Asserts that both commands succeeded.
   *
   * @return the new certificate's id
   */
  String issueDevice(String thing, String policy, Path certsDir, String... attributes) {
    List<String> create = new ArrayList<>(List.of("thing", "create", thing));
    for (String attribute : attributes) {
      create.add("--attr");
      create.add(attribute);
    }
    var created = cli(create.toArray(String[]::new));
    assertThat(created.exitCode()).as(created.err()).isZero();
    var issued =
        cli("cert", "issue", "--thing", thing, "--policy", policy, "--out", certsDir.toString());
    assertThat(issued.exitCode()).as(issued.err()).isZero();
    assertThat(issued.id()).matches("[0-9a-f]{64}");
    return issued.id();
  }

  record CliResult(int exitCode, String out, String err) {
    String id() {
      return out.strip();
    }
  }

  @Override
  public void close() {
    if (hub != null) {
      hub.close();
    }
  }
}
