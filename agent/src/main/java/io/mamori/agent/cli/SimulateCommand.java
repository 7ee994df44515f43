package io.mamori.agent.cli;

import io.mamori.agent.simulate.FleetStats;
import io.mamori.agent.simulate.Outcomes;
import io.mamori.agent.simulate.ProcessMemory;
import io.mamori.agent.simulate.SimulatedFleet;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code mamori-agent simulate}: a fleet of virtual devices that run jobs, in one process. */
@Command(
    name = "simulate",
    mixinStandardHelpOptions = true,
    description = {
      "Run N virtual devices in this process that accept jobs and report results.",
      "",
      "Each device is provisioned by claim on first use (CSR + RegisterThing with TEMPLATE and"
          + " SerialNumber=PREFIX<i>; credentials kept in STATE/PREFIX<i>/ and reused), then"
          + " connects with its own certificate. All devices share one Netty event loop. On"
          + " notify-next a device calls start-next and reports SUCCEEDED, FAILED or REJECTED"
          + " (exact shares given by the rates) with statusDetails. Prints a summary at the end."
    })
public final class SimulateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ClaimOptions claim;

  @Option(names = "--devices", required = true, paramLabel = "N", description = "How many.")
  int devices;

  @Option(
      names = "--failure-rate",
      defaultValue = "0",
      paramLabel = "R",
      description = "Share of executions reported FAILED, 0-1 (default: ${DEFAULT-VALUE}).")
  double failureRate;

  @Option(
      names = "--reject-rate",
      defaultValue = "0",
      paramLabel = "R",
      description = "Share of the others reported REJECTED, 0-1 (default: ${DEFAULT-VALUE}).")
  double rejectRate;

  @Option(
      names = "--duration",
      paramLabel = "TIME",
      description = "Stop after this long, e.g. 90s, 10m, 1h (default: until interrupted).")
  String duration;

  @Option(
      names = "--state",
      defaultValue = "simulated",
      paramLabel = "DIR",
      description = "Where device credentials are kept (default: ${DEFAULT-VALUE}).")
  Path state;

  @Option(
      names = "--serial-prefix",
      defaultValue = "sim-",
      paramLabel = "PREFIX",
      description = "SerialNumber of device i is PREFIX<i> (default: ${DEFAULT-VALUE}).")
  String serialPrefix;

  @Option(
      names = "--netty-threads",
      defaultValue = "2",
      paramLabel = "N",
      description = "Threads of the shared event loop (default: ${DEFAULT-VALUE}).")
  int nettyThreads;

  @Option(
      names = "--report-every",
      defaultValue = "10",
      paramLabel = "SECONDS",
      description = "Print a progress line this often (default: ${DEFAULT-VALUE}).")
  int reportEvery;

  @Option(
      names = "--timeout",
      defaultValue = "30",
      paramLabel = "SECONDS",
      description =
          "Longest wait for each provisioning or connection step (default: ${DEFAULT-VALUE}).")
  int timeoutSeconds;

  @Override
  public Integer call() throws InterruptedException {
    if (!(failureRate >= 0 && failureRate <= 1) || !(rejectRate >= 0 && rejectRate <= 1)) {
      throw new ParameterException(
          spec.commandLine(), "--failure-rate and --reject-rate must be between 0 and 1");
    }
    Duration runFor = duration == null ? null : parseDuration(duration);
    PrintWriter out = spec.commandLine().getOut();
    var settings =
        new SimulatedFleet.Settings(
            claim.endpoint(),
            claim.claimCredentials(),
            claim.template(),
            serialPrefix,
            devices,
            state,
            nettyThreads,
            Duration.ofSeconds(Math.max(1, timeoutSeconds)));
    CountDownLatch stopped = new CountDownLatch(1);
    CountDownLatch summarized = new CountDownLatch(1);
    // Ctrl-C / SIGTERM: stop the run, and hold the JVM until the summary is out.
    Thread hook =
        new Thread(
            () -> {
              stopped.countDown();
              try {
                summarized.await(settings.timeout().toSeconds(), TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    Runtime.getRuntime().addShutdownHook(hook);
    try (SimulatedFleet fleet = new SimulatedFleet(settings)) {
      List<String> things = fleet.provision(line -> print(out, line));
      ProcessMemory before = ProcessMemory.measure();
      fleet.connect(things, new Outcomes(failureRate, rejectRate));
      ProcessMemory after = ProcessMemory.measure();
      print(out, devices + " devices connected; " + perDevice(before, after));
      long end = runFor == null ? Long.MAX_VALUE : System.nanoTime() + runFor.toNanos();
      long every = TimeUnit.SECONDS.toNanos(Math.max(1, reportEvery));
      while (System.nanoTime() < end) {
        long wait = Math.min(every, end - System.nanoTime());
        if (stopped.await(Math.max(0, wait), TimeUnit.NANOSECONDS)) {
          break;
        }
        print(out, progress(fleet.stats().summary()));
      }
      print(out, "summary: " + progress(fleet.stats().summary()));
    } finally {
      summarized.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // already shutting down (interrupted): the hook is running
      }
    }
    return 0;
  }

  private static void print(PrintWriter out, String line) {
    out.println(line);
    out.flush();
  }

  static String progress(FleetStats.Summary s) {
    return String.format(
        Locale.ROOT,
        "connected=%d notified=%d started=%d succeeded=%d failed=%d rejected=%d refused=%d"
            + " notifications/s=%.1f",
        s.connected(),
        s.notifications(),
        s.started(),
        s.succeeded(),
        s.failed(),
        s.rejected(),
        s.refusedByHub(),
        s.notificationsPerSecond());
  }

  /**
   * Heap growth per device across connecting (after a GC each time), and the whole process's RSS:
   * RSS does not shrink reliably after the provisioning phase, so a difference of RSS would
   * mislead.
   */
  private String perDevice(ProcessMemory before, ProcessMemory after) {
    String heap =
        String.format(
            Locale.ROOT,
            "heap %.1f KiB/device",
            (after.heapBytes() - before.heapBytes()) / 1024.0 / devices);
    return after
        .rssBytes()
        .map(
            rss ->
                heap
                    + String.format(
                        Locale.ROOT,
                        ", process RSS %.1f MiB (%.1f KiB/device)",
                        rss / 1048576.0,
                        rss / 1024.0 / devices))
        .orElse(heap);
  }

  /** {@code 90s}, {@code 10m}, {@code 1h}, or a number of seconds. */
  private Duration parseDuration(String text) {
    String t = text.strip().toLowerCase(Locale.ROOT);
    try {
      if (t.endsWith("h")) {
        return Duration.ofHours(Long.parseLong(t.substring(0, t.length() - 1)));
      }
      if (t.endsWith("m")) {
        return Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1)));
      }
      if (t.endsWith("s")) {
        t = t.substring(0, t.length() - 1);
      }
      long seconds = Long.parseLong(t);
      if (seconds >= 0) {
        return Duration.ofSeconds(seconds);
      }
    } catch (NumberFormatException e) {
      // fall through to the message
    }
    throw new ParameterException(
        spec.commandLine(), "--duration must be like 90s, 10m or 1h, not '" + text + "'");
  }
}
