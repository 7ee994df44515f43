package io.mamori.hub.pki;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/** Runs the {@code openssl} command line tool: the third-party check of what the CA writes. */
public final class Openssl {
  private Openssl() {}

  /** The exit code and combined output of one run. */
  public record Result(int exitCode, String output) {}

  /** Skips locally when openssl is missing; on CI (which installs it) that is a failure. */
  public static void requireInstalled() {
    boolean present;
    try {
      present = run("version").exitCode() == 0;
    } catch (IOException e) {
      present = false;
    }
    if (!present && "true".equals(System.getenv("CI"))) {
      fail("openssl must be installed on CI (.ci/run installs it)");
    }
    Assumptions.assumeTrue(present, "openssl not installed");
  }

  public static Result run(String... args) throws IOException {
    List<String> command = new java.util.ArrayList<>(List.of("openssl"));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        fail("openssl " + String.join(" ", args) + " did not finish");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    return new Result(process.exitValue(), output);
  }
}
