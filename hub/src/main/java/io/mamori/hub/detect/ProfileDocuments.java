package io.mamori.hub.detect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads and writes the JSON of a security profile: {@code description}, {@code behaviors} in the
 * AWS shape of reference §8.3, and the hub's {@code mitigations} (names) and {@code
 * mitigationParameters} (opaque object). Every field is checked; a mistake is refused with its
 * path, never half-applied.
 */
public final class ProfileDocuments {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9:_-]{1,128}");
  private static final Pattern STATISTIC =
      Pattern.compile("p(0|0\\.1|0\\.01|1|10|50|90|99|99\\.9|99\\.99|100)");
  static final Set<String> MITIGATIONS =
      Set.of(
          "QUARANTINE",
          "DEACTIVATE_CERTIFICATE",
          "REVOKE_CERTIFICATE",
          "START_JOB",
          "REPLACE_POLICY_VERSION");
  private static final int MAX_BEHAVIORS = 100; // reference §8.3

  /** The parts of a profile a document sets. */
  public record Content(
      String description,
      List<Behavior> behaviors,
      List<String> mitigations,
      String mitigationParameters) {}

  private ProfileDocuments() {}

  /** Checks a profile name (AWS: 1-128 of {@code [a-zA-Z0-9:_-]}). */
  public static String checkName(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw DetectException.invalid("a profile name is 1-128 characters of [a-zA-Z0-9:_-]");
    }
    return name;
  }

  public static Content read(JsonNode document) {
    if (document == null || !document.isObject()) {
      throw DetectException.invalid("the profile document must be a JSON object");
    }
    JsonNode descriptionNode = document.get("description");
    if (descriptionNode != null && !descriptionNode.isNull() && !descriptionNode.isTextual()) {
      throw DetectException.invalid("description must be a string");
    }
    String description = descriptionNode == null ? "" : descriptionNode.asText("");
    if (description.length() > 1000) {
      throw DetectException.invalid("description is at most 1000 characters");
    }
    JsonNode behaviorsNode = document.get("behaviors");
    if (behaviorsNode == null || !behaviorsNode.isArray() || behaviorsNode.isEmpty()) {
      throw DetectException.invalid("behaviors must be a non-empty list");
    }
    if (behaviorsNode.size() > MAX_BEHAVIORS) {
      throw DetectException.invalid("a profile has at most " + MAX_BEHAVIORS + " behaviors");
    }
    List<Behavior> behaviors = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (int i = 0; i < behaviorsNode.size(); i++) {
      Behavior b = behavior(behaviorsNode.get(i), "behaviors[" + i + "]");
      if (!names.add(b.name())) {
        throw DetectException.invalid("behavior name " + b.name() + " is used twice");
      }
      behaviors.add(b);
    }
    List<String> mitigations = new ArrayList<>();
    JsonNode mitigationsNode = document.get("mitigations");
    if (mitigationsNode != null && !mitigationsNode.isNull()) {
      if (!mitigationsNode.isArray()) {
        throw DetectException.invalid("mitigations must be a list of action names");
      }
      for (JsonNode m : mitigationsNode) {
        if (!m.isTextual() || !MITIGATIONS.contains(m.asText())) {
          throw DetectException.invalid(
              "unknown mitigation " + m + "; known: " + String.join(", ", sorted(MITIGATIONS)));
        }
        if (!mitigations.contains(m.asText())) {
          mitigations.add(m.asText());
        }
      }
    }
    JsonNode parameters = document.get("mitigationParameters");
    if (parameters != null && !parameters.isNull() && !parameters.isObject()) {
      throw DetectException.invalid("mitigationParameters must be a JSON object");
    }
    String parametersText =
        parameters == null || parameters.isNull() ? "{}" : parameters.toString();
    if (parametersText.length() > 16_384) {
      throw DetectException.invalid("mitigationParameters is at most 16 KiB");
    }
    return new Content(description, behaviors, mitigations, parametersText);
  }

  private static Behavior behavior(JsonNode node, String path) {
    if (!node.isObject()) {
      throw DetectException.invalid(path + " must be an object");
    }
    String name = requiredText(node, "name", path);
    if (!NAME.matcher(name).matches()) {
      throw DetectException.invalid(path + ".name is 1-128 characters of [a-zA-Z0-9:_-]");
    }
    String metric = requiredText(node, "metric", path);
    if (!MetricNames.known(metric)) {
      throw DetectException.invalid(
          path + ".metric " + metric + " is not a metric this hub measures (see README Defender)");
    }
    JsonNode c = node.get("criteria");
    if (c == null || !c.isObject()) {
      throw DetectException.invalid(path + ".criteria must be an object");
    }
    String cpath = path + ".criteria";
    JsonNode ml = c.get("mlDetectionConfig");
    JsonNode stat = c.get("statisticalThreshold");
    JsonNode value = c.get("value");
    int kinds = (ml != null ? 1 : 0) + (stat != null ? 1 : 0) + (value != null ? 1 : 0);
    if (kinds != 1) {
      throw DetectException.invalid(
          cpath + " needs exactly one of value, statisticalThreshold, mlDetectionConfig");
    }
    ComparisonOperator operator;
    Optional<String> operatorName = optionalText(c, "comparisonOperator");
    if (ml != null) {
      operator = ComparisonOperator.LESS_THAN_EQUALS;
    } else {
      String opName =
          operatorName.orElseThrow(
              () -> DetectException.invalid(cpath + ".comparisonOperator is required"));
      operator =
          ComparisonOperator.fromAwsName(opName)
              .orElseThrow(
                  () ->
                      DetectException.invalid(
                          cpath
                              + ".comparisonOperator "
                              + opName
                              + " is not supported; use less-than, less-than-equals,"
                              + " greater-than or greater-than-equals"));
    }
    Optional<Double> threshold = Optional.empty();
    Optional<String> statistic = Optional.empty();
    Optional<String> confidence = Optional.empty();
    if (value != null) {
      JsonNode n =
          value.isObject() ? (value.has("count") ? value.get("count") : value.get("number")) : null;
      if (n == null || !n.isNumber() || n.asDouble() < 0) {
        throw DetectException.invalid(cpath + ".value needs a count or number >= 0");
      }
      threshold = Optional.of(n.asDouble());
    } else if (stat != null) {
      String s =
          stat.isObject() && stat.get("statistic") != null ? stat.get("statistic").asText() : "";
      if (!STATISTIC.matcher(s).matches()) {
        throw DetectException.invalid(
            cpath
                + ".statisticalThreshold.statistic must be one of p0, p0.1, p0.01, p1, p10,"
                + " p50, p90, p99, p99.9, p99.99, p100");
      }
      statistic = Optional.of(s);
    } else {
      String level =
          ml.isObject() && ml.get("confidenceLevel") != null
              ? ml.get("confidenceLevel").asText()
              : "";
      if (!Set.of("LOW", "MEDIUM", "HIGH").contains(level)) {
        throw DetectException.invalid(
            cpath + ".mlDetectionConfig.confidenceLevel is LOW, MEDIUM or HIGH");
      }
      confidence = Optional.of(level);
    }
    int duration = optionalInt(c, "durationSeconds", cpath, 300, 1, 3600);
    int toAlarm = optionalInt(c, "consecutiveDatapointsToAlarm", cpath, 1, 1, 10);
    int toClear = optionalInt(c, "consecutiveDatapointsToClear", cpath, 1, 1, 10);
    return new Behavior(
        name,
        metric,
        new Criteria(operator, threshold, statistic, confidence, duration, toAlarm, toClear));
  }

  /** The profile as the API shows it (and as it is stored). */
  public static ObjectNode write(SecurityProfile p) {
    ObjectNode out = JSON.createObjectNode();
    out.put("name", p.name()).put("description", p.description());
    var behaviors = out.putArray("behaviors");
    for (Behavior b : p.behaviors()) {
      ObjectNode bn = behaviors.addObject().put("name", b.name()).put("metric", b.metric());
      ObjectNode c = bn.putObject("criteria");
      Criteria cr = b.criteria();
      if (cr.confidence().isPresent()) {
        c.putObject("mlDetectionConfig").put("confidenceLevel", cr.confidence().get());
      } else {
        c.put("comparisonOperator", cr.operator().awsName());
        cr.value().ifPresent(v -> c.putObject("value").put("count", v));
        cr.statistic().ifPresent(s -> c.putObject("statisticalThreshold").put("statistic", s));
      }
      c.put("durationSeconds", cr.durationSeconds())
          .put("consecutiveDatapointsToAlarm", cr.datapointsToAlarm())
          .put("consecutiveDatapointsToClear", cr.datapointsToClear());
    }
    var mitigations = out.putArray("mitigations");
    p.mitigations().forEach(mitigations::add);
    out.set("mitigationParameters", parse(p.mitigationParameters()));
    var targets = out.putArray("targets");
    sorted(p.targets()).forEach(targets::add);
    out.put("createdAt", p.createdAt().toString()).put("updatedAt", p.updatedAt().toString());
    return out;
  }

  /** Parses stored JSON. */
  public static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new IllegalStateException("stored profile JSON is unreadable", e);
    }
  }

  private static List<String> sorted(Set<String> values) {
    return values.stream().sorted().toList();
  }

  private static String requiredText(JsonNode node, String field, String path) {
    return optionalText(node, field)
        .orElseThrow(() -> DetectException.invalid(path + "." + field + " is required"));
  }

  private static Optional<String> optionalText(JsonNode node, String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return Optional.empty();
    }
    if (!v.isTextual() || v.asText().isBlank()) {
      throw DetectException.invalid(field + " must be a non-empty string");
    }
    return Optional.of(v.asText());
  }

  private static int optionalInt(
      JsonNode node, String field, String path, int fallback, int min, int max) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return fallback;
    }
    if (!v.isIntegralNumber() || v.asLong() < min || v.asLong() > max) {
      throw DetectException.invalid(
          path + "." + field + " must be an integer from " + min + " to " + max);
    }
    return v.asInt();
  }
}
