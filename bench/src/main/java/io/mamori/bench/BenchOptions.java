package io.mamori.bench;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Every count and duration of a run; defaults finish in a few minutes on a small machine. */
final class BenchOptions {
  static final int PAYLOAD_BYTES = 256;

  @Option(
      names = "--devices",
      description =
          "Registered device certificates; also the fan-in publishers (default: ${DEFAULT-VALUE})")
  int devices = 1000;

  @Option(
      names = "--connectors",
      description =
          "Concurrent connectors in the connect-rate scenario (default: ${DEFAULT-VALUE})")
  int connectors = 50;

  @Option(
      names = "--connect-seconds",
      description = "Length of the connect-rate scenario (default: ${DEFAULT-VALUE})")
  int connectSeconds = 10;

  @Option(
      names = "--connect-warmup-seconds",
      description =
          "Unmeasured connects before the connect-rate scenario, so that it measures a JIT-compiled"
              + " hub rather than its warm-up (default: ${DEFAULT-VALUE}, none)")
  int connectWarmupSeconds = 0;

  @Option(
      names = "--fan-out-subscribers",
      description = "Subscribers in the fan-out scenario (default: ${DEFAULT-VALUE})")
  int fanOutSubscribers = 1000;

  @Option(
      names = "--window",
      description = "QoS 1 messages in flight per fan-in publisher (default: ${DEFAULT-VALUE})")
  int window = 1;

  @Option(
      names = "--fan-out-window",
      description =
          "QoS 1 messages in flight for the fan-out publisher (default: ${DEFAULT-VALUE})")
  int fanOutWindow = 8;

  @Option(
      names = "--warmup-seconds",
      description = "Unmeasured warm-up before each message scenario (default: ${DEFAULT-VALUE})")
  int warmupSeconds = 3;

  @Option(
      names = "--message-seconds",
      description = "Measured length of each message scenario (default: ${DEFAULT-VALUE})")
  int messageSeconds = 10;

  @Option(
      names = "--settle-seconds",
      description =
          "Pause before reading memory with the idle connections open (default: ${DEFAULT-VALUE})")
  int settleSeconds = 3;

  @Option(
      names = "--idle",
      description = "Idle mTLS connections for the memory figure (default: ${DEFAULT-VALUE})")
  int idle = 10_000;

  @Option(
      names = "--revocations",
      description = "Connected devices revoked one by one, Mamori only (default: ${DEFAULT-VALUE})")
  int revocations = 20;

  @Option(
      names = "--issuance",
      description =
          "Certificates issued through the admin API for the issuance rate, Mamori only"
              + " (default: ${DEFAULT-VALUE}); at least --revocations")
  int issuance = 100;

  @Option(
      names = "--open-concurrency",
      description =
          "TLS handshakes in progress while opening many connections (default: ${DEFAULT-VALUE})")
  int openConcurrency = 32;

  @Option(
      names = "--client-threads",
      description = "Event loop threads of the load generator (default: ${DEFAULT-VALUE})")
  int clientThreads = 2;

  @Option(
      names = "--cache",
      description =
          "Hub data directory and device certificates, kept between runs (default: ${DEFAULT-VALUE})")
  Path cache = Path.of("bench", "cache");

  @Option(
      names = "--results",
      description = "Where <timestamp>.json and .md are written (default: ${DEFAULT-VALUE})")
  Path results = Path.of("bench", "results");

  @Option(
      names = "--hub-java-opts",
      split = " ",
      description =
          "JVM options for the hub process, space-separated (default: those of jvm.options, as"
              + " ./mamori uses them)")
  java.util.List<String> hubJavaOptions = defaultHubJavaOptions();

  /** The options in {@code jvm.options} at the repository root (bench/run starts there). */
  static java.util.List<String> defaultHubJavaOptions() {
    java.nio.file.Path file = Path.of("jvm.options");
    if (!java.nio.file.Files.exists(file)) {
      return new java.util.ArrayList<>();
    }
    try {
      java.util.List<String> options = new java.util.ArrayList<>();
      for (String line : java.nio.file.Files.readAllLines(file)) {
        String kept = line.replaceAll("#.*", "").strip();
        if (!kept.isEmpty()) {
          options.addAll(java.util.List.of(kept.split("\\s+")));
        }
      }
      return options;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot read " + file.toAbsolutePath(), e);
    }
  }

  @Option(
      names = "--hub-args",
      split = " ",
      description =
          "Extra `mamori serve` flags for the measured hub, space-separated, e.g. --no-audit-log"
              + " to measure the audit log's cost (default: none)")
  java.util.List<String> hubArguments = new java.util.ArrayList<>();

  @Option(
      names = "--restart-after-provisioning",
      negatable = true,
      description =
          "Measure on a hub restarted after issuing missing devices, so its memory starts fresh"
              + " (default: ${DEFAULT-VALUE})")
  boolean restartAfterProvisioning = true;

  /** Every scenario group, in the order a run measures them. */
  static final java.util.List<String> SCENARIOS =
      java.util.List.of("idle", "revoke", "connect", "fan-in", "fan-out");

  @Option(
      names = "--scenarios",
      split = ",",
      description =
          "Scenario groups to run, comma-separated, of idle (memory), revoke (issuance and"
              + " revoke-to-disconnect, needs idle), connect, fan-in, fan-out (default: all)")
  java.util.List<String> scenarios = new java.util.ArrayList<>(SCENARIOS);

  /** Whether the scenario group {@code name} is to run. */
  boolean runs(String name) {
    return scenarios.contains(name);
  }

  @Option(
      names = "--note",
      description = "Free text stored with the results, e.g. the machine's load")
  String note = "";

  /** The flags that reproduce this run's workload. */
  String commandLine() {
    return String.join(
            " ",
            "bench/run",
            "--devices " + devices,
            "--connectors " + connectors,
            "--connect-seconds " + connectSeconds,
            connectWarmupSeconds == 0 ? "" : "--connect-warmup-seconds " + connectWarmupSeconds,
            "--fan-out-subscribers " + fanOutSubscribers,
            "--window " + window,
            "--fan-out-window " + fanOutWindow,
            "--warmup-seconds " + warmupSeconds,
            "--message-seconds " + messageSeconds,
            "--idle " + idle,
            "--revocations " + revocations,
            "--issuance " + issuance,
            "--open-concurrency " + openConcurrency,
            "--client-threads " + clientThreads,
            "--settle-seconds " + settleSeconds,
            scenarios.equals(SCENARIOS) ? "" : "--scenarios " + String.join(",", scenarios),
            hubJavaOptions.isEmpty()
                ? ""
                : "--hub-java-opts '" + String.join(" ", hubJavaOptions) + "'",
            hubArguments.isEmpty() ? "" : "--hub-args '" + String.join(" ", hubArguments) + "'")
        .replaceAll(" +", " ")
        .trim();
  }

  /** One line for each value a user can get wrong, or empty. */
  String invalid() {
    StringBuilder problems = new StringBuilder();
    check(problems, devices >= 1, "--devices must be at least 1");
    check(problems, connectors >= 1, "--connectors must be at least 1");
    check(problems, connectSeconds >= 1, "--connect-seconds must be at least 1");
    check(problems, connectWarmupSeconds >= 0, "--connect-warmup-seconds must not be negative");
    check(
        problems,
        fanOutSubscribers >= 1 && fanOutSubscribers <= devices,
        "--fan-out-subscribers must be between 1 and --devices");
    check(problems, window >= 1 && window <= 1000, "--window must be between 1 and 1000");
    check(
        problems,
        fanOutWindow >= 1 && fanOutWindow <= 1000,
        "--fan-out-window must be between 1 and 1000");
    check(problems, warmupSeconds >= 0, "--warmup-seconds must not be negative");
    check(problems, messageSeconds >= 1, "--message-seconds must be at least 1");
    check(problems, settleSeconds >= 0, "--settle-seconds must not be negative");
    check(problems, idle >= 1, "--idle must be at least 1");
    check(problems, revocations >= 1, "--revocations must be at least 1");
    check(problems, issuance >= revocations, "--issuance must be at least --revocations");
    check(problems, openConcurrency >= 1, "--open-concurrency must be at least 1");
    check(problems, clientThreads >= 1, "--client-threads must be at least 1");
    check(
        problems,
        SCENARIOS.containsAll(scenarios),
        "--scenarios takes " + String.join(",", SCENARIOS) + ", got " + scenarios);
    return problems.toString().trim();
  }

  private static void check(StringBuilder problems, boolean ok, String message) {
    if (!ok) {
      problems.append(message).append('\n');
    }
  }
}
