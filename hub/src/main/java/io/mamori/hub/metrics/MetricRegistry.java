package io.mamori.hub.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The hub's metrics, rendered in the Prometheus text exposition format 0.0.4. Counters are {@link
 * LongAdder}s, cheap to bump from many Netty event loops at once; gauges and counters kept by other
 * parts are read through suppliers only when scraped.
 *
 * <p>This is the registration point for the rest of the hub (alarms, job progress, ...): call
 * {@link #counter}, {@link #labeledCounter}, {@link #gauge} or {@link #labeledGauge} once at wiring
 * time. Written by hand rather than with the Prometheus client library: the format is a few lines
 * of text, and the build stays free of another dependency tree.
 */
public final class MetricRegistry {
  /** Media type of the text exposition format. */
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
  private final List<Family> families = new CopyOnWriteArrayList<>();

  private record Family(
      String name, String help, String type, Supplier<Map<String, Long>> samples) {}

  /** A counter without labels; the name should end in {@code _total}. */
  public LongAdder counter(String name, String help) {
    LongAdder adder = new LongAdder();
    register(name, help, "counter", () -> Map.of("", adder.sum()));
    return adder;
  }

  /** A counter kept elsewhere (it must only grow), read when scraped. */
  public void counter(String name, String help, LongSupplier value) {
    register(name, help, "counter", () -> Map.of("", value.getAsLong()));
  }

  /** A counter with one label, e.g. denials by {@code action}. */
  public LabeledCounter labeledCounter(String name, String help, String label) {
    LabeledCounter counter = new LabeledCounter(label);
    register(name, help, "counter", counter::samples);
    return counter;
  }

  public void gauge(String name, String help, LongSupplier value) {
    register(name, help, "gauge", () -> Map.of("", value.getAsLong()));
  }

  /**
   * A gauge with labels computed when scraped: {@code samples} maps a rendered label set such as
   * {@code state="active"} (see {@link #label}) to its value.
   */
  public void labeledGauge(String name, String help, Supplier<Map<String, Long>> samples) {
    register(name, help, "gauge", samples);
  }

  /** {@code name="value"} with the value escaped as the format requires. */
  public static String label(String name, String value) {
    String escaped = value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    return name + "=\"" + escaped + "\"";
  }

  private void register(String name, String help, String type, Supplier<Map<String, Long>> s) {
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("not a Prometheus metric name: " + name);
    }
    if (families.stream().anyMatch(f -> f.name().equals(name))) {
      throw new IllegalArgumentException("metric registered twice: " + name);
    }
    families.add(new Family(name, help, type, s));
  }

  /** Every metric as the text a Prometheus server scrapes. */
  public String scrape() {
    StringBuilder text = new StringBuilder(4096);
    List<Family> sorted = new ArrayList<>(families);
    sorted.sort((a, b) -> a.name().compareTo(b.name()));
    for (Family family : sorted) {
      text.append("# HELP ")
          .append(family.name())
          .append(' ')
          .append(family.help().replace("\\", "\\\\").replace("\n", "\\n"))
          .append('\n');
      text.append("# TYPE ").append(family.name()).append(' ').append(family.type()).append('\n');
      for (var sample : new TreeMap<>(family.samples().get()).entrySet()) {
        text.append(family.name());
        if (!sample.getKey().isEmpty()) {
          text.append('{').append(sample.getKey()).append('}');
        }
        text.append(' ').append(sample.getValue()).append('\n');
      }
    }
    return text.toString();
  }

  /** A counter per value of one label. */
  public static final class LabeledCounter {
    private final String label;
    private final Map<String, LongAdder> values = new ConcurrentHashMap<>();

    private LabeledCounter(String label) {
      this.label = label;
    }

    public void increment(String value) {
      values.computeIfAbsent(value, v -> new LongAdder()).increment();
    }

    /** Makes a label value visible at 0 before it first happens, so rate() has a baseline. */
    public LabeledCounter withValues(String... known) {
      for (String value : known) {
        values.computeIfAbsent(value, v -> new LongAdder());
      }
      return this;
    }

    private Map<String, Long> samples() {
      Map<String, Long> samples = new TreeMap<>();
      values.forEach((value, adder) -> samples.put(label(label, value), adder.sum()));
      return samples;
    }
  }
}
