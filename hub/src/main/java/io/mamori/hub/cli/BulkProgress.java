package io.mamori.hub.cli;

import java.io.PrintWriter;

/**
 * Progress of a bulk run (certificate issuance, device registration): a bar redrawn in place on a
 * terminal, a plain line every tenth otherwise (logs and CI output stay readable).
 */
final class BulkProgress {
  private static final int WIDTH = 30;

  private final PrintWriter out;
  private final boolean terminal;
  private final int total;
  private final long started = System.nanoTime();
  private int done;
  private int failed;
  private int lastTenth;
  private final String unit;
  private final String verb;

  BulkProgress(PrintWriter out, boolean terminal, int total) {
    this(out, terminal, total, "certs", "issued");
  }

  /**
   * @param unit what is counted per second, e.g. {@code devices}
   * @param verb what the plain progress line says was done, e.g. {@code registered}
   */
  BulkProgress(PrintWriter out, boolean terminal, int total, String unit, String verb) {
    this.out = out;
    this.terminal = terminal;
    this.total = total;
    this.unit = unit;
    this.verb = verb;
  }

  synchronized void advance(int issued, int refused) {
    done += issued + refused;
    failed += refused;
    if (terminal) {
      int filled = total == 0 ? WIDTH : (int) ((long) done * WIDTH / total);
      out.printf(
          "\r[%s%s] %d/%d  %3d%%  %s %s/s  %d failed",
          "#".repeat(filled),
          ".".repeat(WIDTH - filled),
          done,
          total,
          percent(),
          rate(),
          unit,
          failed);
      out.flush();
      return;
    }
    int tenth = total == 0 ? 10 : (int) ((long) done * 10 / total);
    if (tenth > lastTenth) {
      lastTenth = tenth;
      out.printf(
          "%s %d/%d (%d%%), %d failed, %s %s/s%n",
          verb, done, total, percent(), failed, rate(), unit);
      out.flush();
    }
  }

  synchronized void finish() {
    if (terminal) {
      out.println();
      out.flush();
    }
  }

  /** Seconds since the start. */
  double seconds() {
    return (System.nanoTime() - started) / 1e9;
  }

  private int percent() {
    return total == 0 ? 100 : (int) ((long) done * 100 / total);
  }

  private String rate() {
    double seconds = seconds();
    return seconds <= 0 ? "-" : Long.toString(Math.round(done / seconds));
  }
}
