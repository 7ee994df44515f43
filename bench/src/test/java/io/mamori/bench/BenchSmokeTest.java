package io.mamori.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Every scenario once, with tiny numbers, against a real Mamori child process and a real Mosquitto:
 * the tool works end to end and both brokers produce every figure. The figures themselves are not
 * judged here (timings are not assertions).
 */
class BenchSmokeTest {

  @Test
  void runsEveryScenarioAgainstBothBrokers(@TempDir Path dir) throws Exception {
    // On CI (.ci/run installs it) a missing broker is a failure, not a silent skip.
    if (!"true".equals(System.getenv("CI"))) {
      assumeTrue(MosquittoProcess.installed(), "Debian's mosquitto is not installed");
    }
    assertThat(MosquittoProcess.installed())
        .as("/usr/sbin/mosquitto (Debian's mosquitto)")
        .isTrue();
    BenchOptions options = new BenchOptions();
    new CommandLine(options)
        .parseArgs(
            "--devices=3",
            "--connectors=2",
            "--connect-seconds=1",
            "--fan-out-subscribers=2",
            "--warmup-seconds=0",
            "--message-seconds=1",
            "--idle=6",
            "--settle-seconds=0",
            "--no-restart-after-provisioning",
            "--revocations=2",
            "--issuance=2",
            "--cache=" + dir.resolve("cache"),
            "--results=" + dir.resolve("results"));
    assertThat(options.invalid()).isEmpty();

    Report report = new BenchRun(options).execute();

    assertThat(report.notes()).noneMatch(n -> n.contains("failed"));
    for (String broker : List.of("Mamori", "Mosquitto")) {
      for (String key :
          List.of("connect.rate", "fanin.rate", "fanout.rate", "idle.rss", "idle.base")) {
        assertThat(report.value(broker, key)).as(broker + " " + key).isPositive();
      }
      assertThat(report.value(broker, "fanin.publishers")).isEqualTo(3.0);
      assertThat(report.value(broker, "fanout.subscribers")).isEqualTo(2.0);
      assertThat(report.value(broker, "fanin.lost")).isZero();
      assertThat(report.value(broker, "fanout.lost")).isZero();
      assertThat(report.value(broker, "fanin.p99")).isPositive();
    }
    assertThat(report.value("Mamori", "revoke.missed")).isZero();
    assertThat(report.value("Mamori", "revoke.p99")).isPositive();
    assertThat(report.value("Mamori", "issuance.rate")).isPositive();
    assertThat(report.value("Mosquitto", "revoke.p99")).isNull();

    Path md = report.write(dir.resolve("results"), Instant.now(), "Mamori", "Mosquitto");
    assertThat(Files.readString(md)).contains("| mTLS connect rate");
    assertThat(Path.of(md.toString().replace(".md", ".json"))).exists();
  }

  @Test
  void refusesNonsenseCounts() {
    BenchOptions options = new BenchOptions();
    new CommandLine(options)
        .parseArgs(
            "--devices=2", "--fan-out-subscribers=5", "--idle=0", "--connect-warmup-seconds=-1");
    assertThat(options.invalid())
        .contains("--fan-out-subscribers must be between 1 and --devices")
        .contains("--idle must be at least 1")
        .contains("--connect-warmup-seconds must not be negative");
  }

  @Test
  void recordsTheCommandThatReproducesTheWorkload() {
    BenchOptions options = new BenchOptions();
    new CommandLine(options)
        .parseArgs(
            "--devices=7",
            "--idle=9",
            "--connect-warmup-seconds=4",
            "--hub-java-opts=-Xmx256m -Xss512k");
    BenchOptions again = new BenchOptions();
    String line = options.commandLine();
    assertThat(line)
        .startsWith("bench/run --devices 7 ")
        .contains("--idle 9")
        .contains("--connect-warmup-seconds 4");
    String[] args =
        line.substring("bench/run ".length())
            .replace("'-Xmx256m -Xss512k'", "-Xmx256m_-Xss512k")
            .split(" ");
    for (int i = 0; i < args.length; i++) {
      args[i] = args[i].replace("_", " ");
    }
    new CommandLine(again).parseArgs(args);
    assertThat(again.commandLine()).isEqualTo(line);
  }
}
