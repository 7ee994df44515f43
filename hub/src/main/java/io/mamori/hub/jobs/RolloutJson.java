package io.mamori.hub.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Optional;
import java.util.Set;

/**
 * AWS's {@code jobExecutionsRolloutConfig} JSON (reference §3.4) to and from {@link RolloutConfig};
 * the admin API and the store share it. Unknown fields are refused, so that a misspelt limit is not
 * silently a rollout without one.
 */
public final class RolloutJson {
  private RolloutJson() {}

  /** Parses and validates; a missing or null node is the default (1000 per minute). */
  public static RolloutConfig parse(JsonNode node) {
    if (node == null || node.isNull()) {
      return RolloutConfig.DEFAULT;
    }
    requireObject(node, "jobExecutionsRolloutConfig");
    onlyFields(node, "jobExecutionsRolloutConfig", Set.of("maximumPerMinute", "exponentialRate"));
    int maximum =
        node.has("maximumPerMinute")
            ? (int) integer(node, "maximumPerMinute", RolloutConfig.MAX_PER_MINUTE)
            : RolloutConfig.MAX_PER_MINUTE;
    JsonNode rate = node.get("exponentialRate");
    if (rate == null || rate.isNull()) {
      return new RolloutConfig(maximum, Optional.empty());
    }
    requireObject(rate, "exponentialRate");
    onlyFields(
        rate,
        "exponentialRate",
        Set.of("baseRatePerMinute", "incrementFactor", "rateIncreaseCriteria"));
    JsonNode factor = rate.get("incrementFactor");
    if (factor == null || !factor.isNumber()) {
      throw invalid("exponentialRate.incrementFactor must be a number");
    }
    JsonNode criteria = rate.get("rateIncreaseCriteria");
    if (criteria == null) {
      throw invalid("exponentialRate.rateIncreaseCriteria is required");
    }
    requireObject(criteria, "rateIncreaseCriteria");
    onlyFields(
        criteria,
        "rateIncreaseCriteria",
        Set.of("numberOfNotifiedThings", "numberOfSucceededThings"));
    return new RolloutConfig(
        maximum,
        Optional.of(
            new RolloutConfig.ExponentialRate(
                (int) integer(rate, "baseRatePerMinute", RolloutConfig.MAX_PER_MINUTE),
                factor.asDouble(),
                optionalCount(criteria, "numberOfNotifiedThings"),
                optionalCount(criteria, "numberOfSucceededThings"))));
  }

  /** The AWS shape of {@code config}. */
  public static ObjectNode write(RolloutConfig config) {
    ObjectNode node =
        JobJson.JSON.createObjectNode().put("maximumPerMinute", config.maximumPerMinute());
    config
        .exponentialRate()
        .ifPresent(
            rate -> {
              ObjectNode r =
                  node.putObject("exponentialRate")
                      .put("baseRatePerMinute", rate.baseRatePerMinute())
                      .put("incrementFactor", rate.incrementFactor());
              ObjectNode c = r.putObject("rateIncreaseCriteria");
              rate.numberOfNotifiedThings().ifPresent(n -> c.put("numberOfNotifiedThings", n));
              rate.numberOfSucceededThings().ifPresent(n -> c.put("numberOfSucceededThings", n));
            });
    return node;
  }

  private static long integer(JsonNode parent, String field, long max) {
    JsonNode value = parent.get(field);
    if (value == null || !value.isIntegralNumber() || !value.canConvertToLong()) {
      throw invalid(field + " must be an integer");
    }
    if (value.asLong() < 1 || value.asLong() > max) {
      throw invalid(field + " must be 1.." + max + ", got " + value.asLong());
    }
    return value.asLong();
  }

  private static Optional<Long> optionalCount(JsonNode parent, String field) {
    return parent.has(field)
        ? Optional.of(integer(parent, field, Integer.MAX_VALUE))
        : Optional.empty();
  }

  private static void requireObject(JsonNode node, String name) {
    if (!node.isObject()) {
      throw invalid(name + " must be a JSON object");
    }
  }

  private static void onlyFields(JsonNode node, String name, Set<String> known) {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!known.contains(field)) {
        throw invalid(name + " has no field " + field + " (allowed: " + known + ")");
      }
    }
  }

  private static JobException invalid(String message) {
    return new JobException(JobException.Kind.INVALID, message);
  }
}
