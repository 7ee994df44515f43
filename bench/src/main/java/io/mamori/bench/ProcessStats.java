package io.mamori.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/** Memory and CPU time of a process, read from Linux's /proc. */
record ProcessStats(long pid) {
  /** Linux reports utime/stime in clock ticks of 1/100 s on every mainstream architecture. */
  private static final long TICKS_PER_SECOND = 100;

  /** Resident set size in bytes (VmRSS from /proc/PID/status). */
  long rssBytes() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("VmRSS:")) {
          String[] parts = line.substring(6).trim().split("\\s+");
          return Long.parseLong(parts[0]) * 1024;
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot read memory of process " + pid, e);
    }
    throw new IllegalStateException("no VmRSS for process " + pid);
  }

  /** User plus system CPU time in nanoseconds, all threads. */
  long cpuNanos() {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // The command name may contain spaces; fields after its closing parenthesis are fixed.
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
      return ticks * (1_000_000_000L / TICKS_PER_SECOND);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read CPU time of process " + pid, e);
    }
  }

  static ProcessStats self() {
    return new ProcessStats(ProcessHandle.current().pid());
  }

  static String javaVersion() {
    return ManagementFactory.getRuntimeMXBean().getVmVersion();
  }
}
