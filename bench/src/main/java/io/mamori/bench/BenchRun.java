package io.mamori.bench;

import io.mamori.hub.pki.Pem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One run: provision devices in the hub (cached), then the same scenarios against a fresh Mamori
 * and a fresh Mosquitto, one broker at a time so they never compete for the machine.
 */
final class BenchRun {
  /**
   * Mosquitto cannot read the hub's encrypted PKCS#8 key (it would prompt for the passphrase), so
   * it gets a clear copy, owner-only, decrypted with the passphrase the quick-start hub generated.
   */
  private static Path clearServerKey(Path hubData, Path mosquittoDir)
      throws IOException, InterruptedException {
    Path clear = mosquittoDir.resolve("server.key");
    Files.deleteIfExists(clear);
    Files.createFile(
        clear,
        java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
            java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
    Process openssl =
        new ProcessBuilder(
                "openssl",
                "pkey",
                "-in",
                hubData.resolve("pki").resolve("server.key").toString(),
                "-passin",
                "file:" + hubData.resolve("ca-passphrase"),
                "-out",
                clear.toString())
            .redirectErrorStream(true)
            .start();
    String output = new String(openssl.getInputStream().readAllBytes());
    if (openssl.waitFor() != 0) {
      throw new IOException("cannot decrypt the hub's server key for mosquitto: " + output.strip());
    }
    return clear;
  }

  private static final double MB = 1024.0 * 1024.0;

  private final BenchOptions options;
  private final Report report;
  private final Path hubData;
  private final Path logs;

  BenchRun(BenchOptions options) {
    this.options = options;
    this.report = new Report(options);
    this.hubData = options.cache.resolve("hub");
    this.logs = options.cache.resolve("logs");
  }

  Report execute() throws Exception {
    describeSetup();
    int deviceCount = Math.max(options.devices, options.fanOutSubscribers);
    Path deviceDir = options.cache.resolve("devices");
    List<Device> devices;
    Device controller;
    MamoriProcess hub = null;
    try {
      if (!Provisioner.cached(deviceDir, deviceCount)) {
        progress(
            "setup", "provisioning " + deviceCount + " devices (cached in " + options.cache + ")");
        hub =
            new MamoriProcess(hubData)
                .start(options.hubJavaOptions, logs.resolve("hub-provision.log"));
        Provisioner provisioner = new Provisioner(hub, deviceDir);
        provisioner.devices(deviceCount, 4);
        provisioner.controller();
        if (options.restartAfterProvisioning) {
          hub.close();
          hub = null;
        }
      }
      if (hub == null) {
        hub =
            new MamoriProcess(hubData)
                .start(options.hubJavaOptions, options.hubArguments, logs.resolve("hub.log"));
      }
      report.setup(
          "Mamori",
          "child JVM, java options "
              + options.hubJavaOptions
              + ", serve flags "
              + options.hubArguments);
      // Every device is cached now: this only reads their files.
      Provisioner provisioner = new Provisioner(hub, deviceDir);
      devices = provisioner.devices(deviceCount, 4);
      controller = provisioner.controller();
      try (LoadClient client = new LoadClient("127.0.0.1", options.clientThreads)) {
        phase(hub, client, devices, controller, new MamoriOnly(provisioner, client));
      }
    } finally {
      if (hub != null) {
        hub.close();
      }
    }

    Path mosquittoDir = logs.resolve("mosquitto");
    Path pki = hubData.resolve("pki");
    Path serverChain = mosquittoDir.resolve("server-chain.pem");
    Files.createDirectories(mosquittoDir);
    // The hub's own server certificate and issuing CA, so both brokers present the same chain.
    Files.writeString(
        serverChain,
        Pem.encodeCertificate(
                Pem.parseCertificates(Files.readString(pki.resolve("server.crt"))).get(0))
            + Files.readString(pki.resolve("issuing-ca.crt")));
    var limits = io.mamori.hub.config.BrokerLimits.defaults();
    try (MosquittoProcess mosquitto =
            new MosquittoProcess()
                .start(
                    mosquittoDir,
                    pki.resolve("ca-chain.pem"),
                    serverChain,
                    clearServerKey(hubData, mosquittoDir),
                    limits.maxInflightPerClient(),
                    limits.maxQueuedMessagesPerSession());
        LoadClient client = new LoadClient("127.0.0.1", options.clientThreads)) {
      phase(mosquitto, client, devices, controller, null);
    }
    report.setup("load average at end", firstLine(Path.of("/proc/loadavg")));
    report.note(
        "OCSP responses per second: not measured by this tool yet; the hub's RevocationBench"
            + " measures the cached responder (see README, PKI).");
    report.note(
        "Mosquitto runs with an ACL file granting the same topics as the Mamori policies;"
            + " in-flight and queue limits equal the hub's defaults ("
            + limits.maxInflightPerClient()
            + " / "
            + limits.maxQueuedMessagesPerSession()
            + ").");
    return report;
  }

  private void phase(
      BrokerProcess broker,
      LoadClient client,
      List<Device> devices,
      Device controller,
      MamoriOnly mamoriOnly) {
    Scenarios scenarios = new Scenarios(client, options, devices, controller);
    int port = broker.mqttPort();
    ProcessStats stats = broker.stats();
    long base = stats.rssBytes();
    List<LoadConnection> idle =
        !options.runs("idle")
            ? null
            : step(
                broker,
                "idle connections (open)",
                () -> {
                  progress(broker.name(), "opening " + options.idle + " idle mTLS connections");
                  return scenarios.openIdle(port, options.idle);
                });
    if (idle != null) {
      BrokerProcess.sleep(options.settleSeconds * 1000L);
      long rss = stats.rssBytes();
      report.put(
          broker.name(),
          Map.of(
              "idle.retries", (double) scenarios.retries(),
              "idle.base", base / MB,
              "idle.rss", rss / MB,
              "idle.perConnection", (rss - base) / 1024.0 / idle.size()));
      if (mamoriOnly != null && options.runs("revoke")) {
        mamoriOnlyScenarios(broker, mamoriOnly, port);
      }
      closeAll(idle);
    }
    if (options.runs("connect") && options.connectWarmupSeconds > 0) {
      // Outside any Measurement: neither its CPU nor its connections count.
      progress(broker.name(), "connect warm-up, " + options.connectWarmupSeconds + " s");
      try {
        scenarios.connectRate(port, options.connectWarmupSeconds);
      } catch (Exception | AssertionError e) {
        progress(broker.name(), "connect warm-up failed: " + e);
      }
      BrokerProcess.sleep(options.settleSeconds * 300L);
    }
    record(
        broker,
        "connect rate",
        () -> {
          progress(broker.name(), "connect rate, " + options.connectSeconds + " s");
          return scenarios.connectRate(port);
        });
    record(
        broker,
        "fan-in",
        () -> {
          progress(broker.name(), "fan-in from " + options.devices + " devices");
          return scenarios.fanIn(port, options.devices);
        });
    record(
        broker,
        "fan-out",
        () -> {
          progress(broker.name(), "fan-out to " + options.fanOutSubscribers + " subscribers");
          return scenarios.fanOut(port, options.fanOutSubscribers);
        });
  }

  private void mamoriOnlyScenarios(BrokerProcess broker, MamoriOnly mamoriOnly, int port) {
    MamoriOnly.Issued issued =
        step(
            broker,
            "certificate issuance",
            () -> {
              progress(broker.name(), "issuing " + options.issuance + " certificates");
              return mamoriOnly.issue(options.issuance, 4);
            });
    if (issued == null) {
      return;
    }
    report.put(broker.name(), Map.of("issuance.rate", issued.perSecond()));
    record(
        broker,
        "revoke-to-disconnect",
        () -> {
          progress(
              broker.name(),
              "revoking " + options.revocations + " devices with " + options.idle + " connected");
          return mamoriOnly.revokeToDisconnect(
              port, issued.devices().subList(0, options.revocations));
        });
  }

  private void record(BrokerProcess broker, String scenario, Callable<Map<String, Double>> body) {
    String group = scenario.startsWith("revoke") ? "revoke" : scenario.replace(" rate", "");
    if (!options.runs(group)) {
      return;
    }
    Map<String, Double> figures = step(broker, scenario, body);
    if (figures != null) {
      report.put(broker.name(), figures);
    }
    // Let the broker finish closing the scenario's connections before the next one starts.
    BrokerProcess.sleep(options.settleSeconds * 300L);
  }

  /** Runs one scenario with CPU accounting; a failure becomes a note and the run goes on. */
  private <T> T step(BrokerProcess broker, String scenario, Callable<T> body) {
    Measurement measurement = new Measurement(broker.stats());
    try {
      T result = body.call();
      report.conditions(measurement.stop(scenario, broker.name()));
      return result;
    } catch (Exception | AssertionError e) {
      String message = broker.name() + " " + scenario + " failed: " + e;
      progress(broker.name(), message);
      report.note(message);
      return null;
    }
  }

  private void closeAll(List<LoadConnection> connections) {
    connections.forEach(LoadConnection::close);
    CompletableFuture.allOf(
            connections.stream().map(LoadConnection::closed).toArray(CompletableFuture[]::new))
        .completeOnTimeout(null, 60, TimeUnit.SECONDS)
        .join();
    BrokerProcess.sleep(options.settleSeconds * 500L);
  }

  private void describeSetup() {
    report.setup("command", options.commandLine());
    report.setup("cores", Runtime.getRuntime().availableProcessors());
    report.setup("load average at start", firstLine(Path.of("/proc/loadavg")));
    report.setup("java", ProcessStats.javaVersion());
    report.setup("mosquitto", mosquittoVersion());
    report.setup(
        "load generator",
        "one JVM, Netty with "
            + options.clientThreads
            + " event loop threads, Conscrypt TLS client");
    report.setup(
        "payload", BenchOptions.PAYLOAD_BYTES + " bytes, QoS 1, MQTT 3.1.1, clean sessions");
    if (!options.note.isBlank()) {
      report.setup("note", options.note);
    }
  }

  private static String firstLine(Path file) {
    try {
      return Files.readAllLines(file).get(0).trim();
    } catch (IOException | IndexOutOfBoundsException e) {
      return "unknown";
    }
  }

  private static String mosquittoVersion() {
    try {
      Process p =
          new ProcessBuilder(MosquittoProcess.BINARY, "-h").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      p.waitFor(5, TimeUnit.SECONDS);
      return out.lines().findFirst().orElse("unknown").trim();
    } catch (IOException e) {
      return "unknown";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "unknown";
    }
  }

  static void progress(String who, String what) {
    System.err.println("[" + who + "] " + what);
  }
}
