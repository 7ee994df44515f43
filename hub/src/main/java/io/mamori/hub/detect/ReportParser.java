package io.mamori.hub.detect;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * Validates a device metrics report against the document specification of reference §8.4 (long or
 * short keys) and extracts its values. Anything outside the specification is rejected, naming the
 * field: a report that cannot be trusted must not feed a baseline.
 */
final class ReportParser {
  private static final Pattern VERSION = Pattern.compile("[0-9]+\\.[0-9]+");
  private static final Pattern REMOTE_ADDR =
      Pattern.compile("(\\[?[0-9A-Fa-f:.]+\\]?):([0-9]{1,5})");

  private ReportParser() {}

  static DeviceReport parse(String thing, JsonNode report, Instant now) {
    JsonNode header = field(report, "header", "hed");
    if (header == null || !header.isObject()) {
      throw ReportRejection.invalid("header is required and must be an object");
    }
    JsonNode id = field(header, "report_id", "rid");
    if (id == null || !id.isIntegralNumber() || !id.canConvertToLong() || id.asLong() < 0) {
      throw ReportRejection.invalid("header.report_id is required and must be an integer >= 0");
    }
    OptionalLong reportId = OptionalLong.of(id.asLong());
    try {
      JsonNode version = field(header, "version", "v");
      if (version == null || !version.isTextual() || !VERSION.matcher(version.asText()).matches()) {
        throw ReportRejection.invalid(
            "header.version is required as \"Major.Minor\", e.g. \"1.0\"");
      }
      JsonNode metrics = field(report, "metrics", "met");
      JsonNode custom = field(report, "custom_metrics", "cmet");
      if (metrics == null && custom == null) {
        throw ReportRejection.invalid("a report needs a metrics or a custom_metrics block");
      }
      Map<String, Double> values = new HashMap<>();
      if (metrics != null) {
        readMetrics(object(metrics, "metrics"), values);
      }
      if (custom != null) {
        readCustom(object(custom, "custom_metrics"), values);
      }
      return new DeviceReport(thing, reportId.getAsLong(), now, values);
    } catch (ReportRejection e) {
      throw e.withReportId(reportId);
    }
  }

  /** The report id of a payload, if it has a readable one (for the rejected reply). */
  static OptionalLong reportIdOf(JsonNode report) {
    JsonNode header = report == null ? null : field(report, "header", "hed");
    JsonNode id = header == null ? null : field(header, "report_id", "rid");
    return id != null && id.isIntegralNumber() && id.canConvertToLong()
        ? OptionalLong.of(id.asLong())
        : OptionalLong.empty();
  }

  private static void readMetrics(JsonNode metrics, Map<String, Double> values) {
    JsonNode tcp = field(metrics, "tcp_connections", "tc");
    if (tcp != null) {
      JsonNode established = field(object(tcp, "tcp_connections"), "established_connections", "ec");
      if (established != null) {
        object(established, "established_connections");
        int listed = 0;
        JsonNode connections = field(established, "connections", "cs");
        if (connections != null) {
          for (JsonNode connection : array(connections, "connections")) {
            object(connection, "connections[]");
            JsonNode remote = field(connection, "remote_addr", "rad");
            if (remote == null || !remote.isTextual() || !validRemote(remote.asText())) {
              throw ReportRejection.invalid("remote_addr is required as \"ip:port\"");
            }
            optionalCount(connection, "local_port", "lp", 0, 65535);
            optionalText(connection, "local_interface", "li");
            listed++;
          }
        }
        double total = optionalCount(established, "total", "t", 0, Long.MAX_VALUE);
        values.put(MetricNames.ESTABLISHED_TCP, total >= 0 ? total : listed);
      }
    }
    readPorts(metrics, "listening_tcp_ports", "tp", MetricNames.LISTENING_TCP_PORTS, values);
    readPorts(metrics, "listening_udp_ports", "up", MetricNames.LISTENING_UDP_PORTS, values);
    JsonNode stats = field(metrics, "network_stats", "ns");
    if (stats != null) {
      object(stats, "network_stats");
      putCount(stats, "bytes_in", "bi", MetricNames.ALL_BYTES_IN, values);
      putCount(stats, "bytes_out", "bo", MetricNames.ALL_BYTES_OUT, values);
      putCount(stats, "packets_in", "pi", MetricNames.ALL_PACKETS_IN, values);
      putCount(stats, "packets_out", "po", MetricNames.ALL_PACKETS_OUT, values);
    }
  }

  private static void readPorts(
      JsonNode metrics, String longName, String shortName, String metric, Map<String, Double> out) {
    JsonNode block = field(metrics, longName, shortName);
    if (block == null) {
      return;
    }
    object(block, longName);
    int listed = 0;
    JsonNode ports = field(block, "ports", "pts");
    if (ports != null) {
      for (JsonNode port : array(ports, longName + ".ports")) {
        object(port, longName + ".ports[]");
        // §8.4: port numbers > 0.
        optionalCount(port, "port", "pt", 1, 65535);
        optionalText(port, "interface", "if");
        listed++;
      }
    }
    double total = optionalCount(block, "total", "t", 0, Long.MAX_VALUE);
    out.put(metric, total >= 0 ? total : listed);
  }

  private static void readCustom(JsonNode custom, Map<String, Double> values) {
    var names = custom.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      JsonNode entries = array(custom.get(name), "custom_metrics." + name);
      if (entries.size() != 1 || !entries.get(0).isObject()) {
        throw ReportRejection.invalid("custom_metrics." + name + " must hold one value object");
      }
      JsonNode entry = entries.get(0);
      if (entry.has("number")) {
        if (!entry.get("number").isNumber()) {
          throw ReportRejection.invalid("custom_metrics." + name + ".number must be a number");
        }
        values.put(MetricNames.CUSTOM_PREFIX + name, entry.get("number").asDouble());
      } else if (entry.has("number_list")) {
        for (JsonNode n : array(entry.get("number_list"), name + ".number_list")) {
          if (!n.isNumber()) {
            throw ReportRejection.invalid("custom_metrics." + name + ".number_list holds numbers");
          }
        }
      } else if (entry.has("string_list") || entry.has("ip_list")) {
        String kind = entry.has("string_list") ? "string_list" : "ip_list";
        for (JsonNode s : array(entry.get(kind), name + "." + kind)) {
          if (!s.isTextual()) {
            throw ReportRejection.invalid("custom_metrics." + name + "." + kind + " holds strings");
          }
        }
      } else {
        throw ReportRejection.invalid(
            "custom_metrics." + name + " needs number, number_list, string_list or ip_list");
      }
    }
  }

  private static boolean validRemote(String text) {
    var m = REMOTE_ADDR.matcher(text);
    return m.matches() && Integer.parseInt(m.group(2)) <= 65535;
  }

  private static void putCount(
      JsonNode parent, String longName, String shortName, String metric, Map<String, Double> out) {
    double value = optionalCount(parent, longName, shortName, 0, Long.MAX_VALUE);
    if (value >= 0) {
      out.put(metric, value);
    }
  }

  /** The integer value in [min, max], or -1 when absent. */
  private static double optionalCount(
      JsonNode parent, String longName, String shortName, long min, long max) {
    JsonNode value = field(parent, longName, shortName);
    if (value == null) {
      return -1;
    }
    if (!value.isIntegralNumber() || !value.canConvertToLong()) {
      throw ReportRejection.invalid(longName + " must be an integer");
    }
    long n = value.asLong();
    if (n < min || n > max) {
      throw ReportRejection.invalid(longName + " must be between " + min + " and " + max);
    }
    return n;
  }

  private static void optionalText(JsonNode parent, String longName, String shortName) {
    JsonNode value = field(parent, longName, shortName);
    if (value != null && !value.isTextual()) {
      throw ReportRejection.invalid(longName + " must be a string");
    }
  }

  /** §8.4: either the long or the short key. */
  private static JsonNode field(JsonNode parent, String longName, String shortName) {
    JsonNode value = parent.get(longName);
    return value != null && !value.isNull() ? value : parent.get(shortName);
  }

  private static JsonNode object(JsonNode node, String name) {
    if (node == null || !node.isObject()) {
      throw ReportRejection.invalid(name + " must be an object");
    }
    return node;
  }

  private static JsonNode array(JsonNode node, String name) {
    if (node == null || !node.isArray()) {
      throw ReportRejection.invalid(name + " must be a list");
    }
    return node;
  }
}
