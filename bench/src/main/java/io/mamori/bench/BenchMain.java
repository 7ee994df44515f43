package io.mamori.bench;

import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code ./bench/run}: the side-by-side load test of Mamori and Mosquitto. */
@Command(
    name = "bench/run",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the same MQTT scenarios against Mamori and Debian's mosquitto, one after the other,"
          + " and prints both with their ratio. Results go to --results as <timestamp>.json and .md.",
      "`bench/run jmh [JMH options]` runs the JMH microbenchmarks instead."
    })
public final class BenchMain implements Callable<Integer> {
  @Mixin BenchOptions options = new BenchOptions();

  public static void main(String[] args) {
    System.exit(new CommandLine(new BenchMain()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    String problems = options.invalid();
    if (!problems.isEmpty()) {
      System.err.println("bench: " + problems.replace("\n", "; "));
      return 2;
    }
    if (!MosquittoProcess.installed()) {
      System.err.println(
          "bench: " + MosquittoProcess.BINARY + " not found (Debian: apt-get install mosquitto)");
      return 1;
    }
    Instant started = Instant.now();
    Report report = new BenchRun(options).execute();
    System.out.println();
    System.out.print(report.markdown("Mamori", "Mosquitto"));
    Path md = report.write(options.results, started, "Mamori", "Mosquitto");
    System.out.println();
    System.out.println("written: " + md + " and " + md.toString().replace(".md", ".json"));
    return 0;
  }
}
