package io.mamori.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The side-by-side table: one row per metric, Mamori, Mosquitto and their ratio. */
final class Report {
  record Metric(String key, String label, String unit, boolean higherIsBetter) {}

  private final List<Metric> metrics = new ArrayList<>();
  private final Map<String, Map<String, Double>> values = new LinkedHashMap<>();
  private final List<Measurement.Conditions> conditions = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();
  private final Map<String, Object> setup = new LinkedHashMap<>();

  Report(BenchOptions o) {
    add(
        "connect.rate",
        "mTLS connect rate (TLS 1.3, P-256, " + o.connectors + " connectors)",
        "conn/s",
        true);
    add("connect.p50", "connect latency p50", "ms", false);
    add("connect.p99", "connect latency p99", "ms", false);
    add("connect.failed", "connects failed", "count", false);
    add("fanin.rate", "QoS 1 fan-in, " + o.devices + " devices -> 1 subscriber", "msg/s", true);
    add("fanin.p50", "fan-in latency p50", "ms", false);
    add("fanin.p99", "fan-in latency p99", "ms", false);
    add("fanin.p999", "fan-in latency p99.9", "ms", false);
    add("fanin.lost", "fan-in messages lost", "count", false);
    add(
        "fanout.rate",
        "QoS 1 fan-out, 1 -> " + o.fanOutSubscribers + " subscribers",
        "deliveries/s",
        true);
    add("fanout.p50", "fan-out latency p50", "ms", false);
    add("fanout.p99", "fan-out latency p99", "ms", false);
    add("fanout.p999", "fan-out latency p99.9", "ms", false);
    add("fanout.lost", "fan-out deliveries lost", "count", false);
    add("idle.base", "RSS of a fresh broker", "MB", false);
    add("idle.rss", "RSS with " + o.idle + " idle mTLS connections", "MB", false);
    add("idle.perConnection", "RSS per idle connection", "KB", false);
    add("idle.retries", "idle connections dropped before CONNACK and retried", "count", false);
    add("revoke.p50", "revoke-to-disconnect p50 (" + o.idle + " connected)", "ms", false);
    add("revoke.p99", "revoke-to-disconnect p99", "ms", false);
    add("revoke.max", "revoke-to-disconnect max", "ms", false);
    add("revoke.missed", "revoked devices not disconnected within 10 s", "count", false);
    add("issuance.rate", "certificate issuance via admin API (4 clients)", "cert/s", true);
  }

  private void add(String key, String label, String unit, boolean higherIsBetter) {
    metrics.add(new Metric(key, label, unit, higherIsBetter));
  }

  void put(String broker, Map<String, Double> figures) {
    values.computeIfAbsent(broker, b -> new LinkedHashMap<>()).putAll(figures);
  }

  void conditions(Measurement.Conditions c) {
    conditions.add(c);
  }

  void note(String note) {
    notes.add(note);
  }

  List<String> notes() {
    return List.copyOf(notes);
  }

  void setup(String key, Object value) {
    setup.put(key, value);
  }

  Double value(String broker, String key) {
    return values.getOrDefault(broker, Map.of()).get(key);
  }

  String markdown(String a, String b) {
    StringBuilder out = new StringBuilder();
    out.append("| scenario | unit | ")
        .append(a)
        .append(" | ")
        .append(b)
        .append(" | ratio ")
        .append(a)
        .append('/')
        .append(b)
        .append(" |\n| --- | --- | ---: | ---: | ---: |\n");
    for (Metric m : metrics) {
      Double x = value(a, m.key());
      Double y = value(b, m.key());
      if (x == null && y == null) {
        continue;
      }
      out.append("| ")
          .append(m.label())
          .append(" | ")
          .append(m.unit())
          .append(" | ")
          .append(format(x))
          .append(" | ")
          .append(format(y))
          .append(" | ")
          .append(ratio(x, y, m))
          .append(" |\n");
    }
    out.append("\nCPU during each scenario (100% = one core; the machine has ")
        .append(Runtime.getRuntime().availableProcessors())
        .append(
            " cores):\n\n| scenario | broker | wall s | broker CPU % | load generator CPU % |\n")
        .append("| --- | --- | ---: | ---: | ---: |\n");
    for (Measurement.Conditions c : conditions) {
      out.append(
          String.format(
              Locale.ROOT,
              "| %s | %s | %.1f | %.0f | %.0f |%n",
              c.scenario(),
              c.broker(),
              c.wallSeconds(),
              c.brokerCpuPercent(),
              c.generatorCpuPercent()));
    }
    if (!notes.isEmpty()) {
      out.append('\n');
      notes.forEach(n -> out.append("- ").append(n).append('\n'));
    }
    return out.toString();
  }

  private static String ratio(Double x, Double y, Metric m) {
    if (x == null || y == null || x.isNaN() || y.isNaN() || y == 0 || m.unit().equals("count")) {
      return "";
    }
    return String.format(
        Locale.ROOT,
        "%.2f %s",
        x / y,
        m.higherIsBetter() ? "(higher is better)" : "(lower is better)");
  }

  static String format(Double v) {
    if (v == null || v.isNaN()) {
      return "-";
    }
    if (v >= 100 || v == Math.rint(v)) {
      return String.format(Locale.ROOT, "%,.0f", v);
    }
    return String.format(Locale.ROOT, "%.2f", v);
  }

  /** Writes TIMESTAMP.json and TIMESTAMP.md; returns the markdown file. */
  Path write(Path dir, Instant when, String a, String b) throws IOException {
    Files.createDirectories(dir);
    String stamp = when.toString().replace(":", "").replaceAll("\\.\\d+", "");
    ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    ObjectNode root = json.createObjectNode().put("timestamp", when.toString());
    root.set("setup", json.valueToTree(setup));
    ArrayNode rows = root.putArray("metrics");
    for (Metric m : metrics) {
      ObjectNode row =
          rows.addObject()
              .put("key", m.key())
              .put("label", m.label())
              .put("unit", m.unit())
              .put("higherIsBetter", m.higherIsBetter());
      for (String broker : List.of(a, b)) {
        Double v = value(broker, m.key());
        if (v != null && !v.isNaN()) {
          row.put(broker, v);
        }
      }
    }
    root.set("conditions", json.valueToTree(conditions));
    root.set("notes", json.valueToTree(notes));
    json.writeValue(dir.resolve(stamp + ".json").toFile(), root);
    Path md = dir.resolve(stamp + ".md");
    StringBuilder text = new StringBuilder("# Mamori vs Mosquitto, " + when + "\n\n");
    setup.forEach((k, v) -> text.append("- ").append(k).append(": ").append(v).append('\n'));
    text.append('\n').append(markdown(a, b));
    Files.writeString(md, text);
    return md;
  }
}
