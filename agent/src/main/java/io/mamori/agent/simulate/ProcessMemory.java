package io.mamori.agent.simulate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** What the simulator process holds: heap in use after a GC, and resident set size (Linux). */
public record ProcessMemory(long heapBytes, Optional<Long> rssBytes) {
  /** Measures now; asks for a GC first so heap figures compare. */
  public static ProcessMemory measure() {
    Runtime runtime = Runtime.getRuntime();
    System.gc();
    long heap = runtime.totalMemory() - runtime.freeMemory();
    return new ProcessMemory(heap, rss());
  }

  private static Optional<Long> rss() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          String kb = line.substring("VmRSS:".length()).replace("kB", "").strip();
          return Optional.of(Long.parseLong(kb) * 1024);
        }
      }
    } catch (IOException | NumberFormatException e) {
      // not Linux, or unreadable: RSS is simply not reported
    }
    return Optional.empty();
  }
}
