package io.mamori.hub.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.mamori.hub.cli.Hub;
import io.mamori.hub.cli.Main;
import io.mamori.hub.config.HubConfig;
import io.mamori.hub.config.PkiPublicationSettings;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine;

/**
 * A real hub on ephemeral ports over a temporary data directory, and its CLI. Public: the agent
 * module's integration tests start hubs with it (hub test-jar).
 */
public final class HubFixture implements AutoCloseable {
  private final Path dataDir;
  private Hub hub;

  public HubFixture(Path dataDir) {
    this.dataDir = dataDir;
  }

  private final java.util.Set<String> subscriptions =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  private final java.util.List<String> deniedConnects =
      new java.util.concurrent.CopyOnWriteArrayList<>();

  /** Who (the principal id, or "unknown") each refused CONNECT came from. */
  public java.util.List<String> deniedConnects() {
    return deniedConnects;
  }

  private java.time.Duration rotationGrace = HubConfig.DEFAULT_ROTATION_GRACE;

  /** Sets {@code --rotation-grace} for the next {@link #start()}. */
  public HubFixture rotationGrace(java.time.Duration grace) {
    this.rotationGrace = grace;
    return this;
  }

  private io.mamori.hub.audit.AuditSettings auditSettings =
      io.mamori.hub.audit.AuditSettings.defaults();

  private io.mamori.hub.config.BrokerLimits limits;

  /** Starts (and restarts) with these broker limits instead of the defaults. */
  public HubFixture withLimits(io.mamori.hub.config.BrokerLimits limits) {
    this.limits = limits;
    return this;
  }

  private java.time.Clock clock = java.time.Clock.systemUTC();

  /** Starts (and restarts) on this clock, e.g. a {@link MovableClock} a test moves forward. */
  public HubFixture withClock(java.time.Clock clock) {
    this.clock = clock;
    return this;
  }

  /** Starts (and restarts) with these audit log settings. */
  public HubFixture withAudit(io.mamori.hub.audit.AuditSettings settings) {
    this.auditSettings = settings;
    return this;
  }

  private io.mamori.hub.detect.DetectSettings detectSettings =
      io.mamori.hub.detect.DetectSettings.defaults();

  /** Starts (and restarts) with these Detect settings (e.g. a short evaluation period). */
  public HubFixture withDetect(io.mamori.hub.detect.DetectSettings settings) {
    this.detectSettings = settings;
    return this;
  }

  public HubFixture start() throws Exception {
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
            limits != null ? limits : defaults.limits(),
            new PkiPublicationSettings(
                "127.0.0.1",
                0,
                Optional.empty(),
                defaults.pkiPublication().crlValidity(),
                defaults.pkiPublication().ocspValidity()),
            rotationGrace,
            defaults.caKeys());
    hub = Hub.start(config, auditSettings, detectSettings, clock);
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
  public HubFixture restart() throws Exception {
    hub.close();
    return start();
  }

  /** Waits until the hub has granted {@code clientId} a subscription to {@code filter}. */
  public void awaitSubscription(String clientId, String filter) {
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(15))
        .until(() -> subscriptions.contains(clientId + " " + filter));
  }

  public Hub hub() {
    return hub;
  }

  public int mqttPort() {
    return hub.mqttPort();
  }

  public Path dataDir() {
    return dataDir;
  }

  /** Runs a CLI command as a user would, finding the hub through {@code --data}. */
  public CliResult cli(String... args) {
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
  public CliResult createPolicy(String name, String document) throws Exception {
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
  public String issueDevice(String thing, String policy, Path certsDir, String... attributes) {
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

  public record CliResult(int exitCode, String out, String err) {
    public String id() {
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
