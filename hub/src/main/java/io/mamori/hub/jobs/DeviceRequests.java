package io.mamori.hub.jobs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Reads the device requests of reference §3.2, refusing bad shapes with AWS's codes. */
final class DeviceRequests {
  /** stepTimeoutInMinutes: 1 minute to 7 days, or -1 to discard the timer. */
  private static final long MAX_STEP_MINUTES = 10_080;

  private DeviceRequests() {}

  /** The payload as a JSON object; an empty payload counts as {@code {}}. */
  static ObjectNode parse(byte[] payload) {
    if (payload.length == 0) {
      return JobJson.JSON.createObjectNode();
    }
    JsonNode node;
    try {
      node = JobJson.JSON.readTree(payload);
    } catch (JsonProcessingException e) {
      throw new JobRejection(JobRejection.INVALID_JSON, "payload is not valid JSON");
    } catch (IOException e) {
      throw new JobRejection(JobRejection.INVALID_JSON, "payload cannot be read");
    }
    if (node == null || !node.isObject()) {
      throw new JobRejection(JobRejection.INVALID_JSON, "payload must be a JSON object");
    }
    return (ObjectNode) node;
  }

  /** The clientToken to echo, when it is a string; anything else is ignored here. */
  static Optional<String> clientToken(ObjectNode request) {
    JsonNode token = request.get("clientToken");
    return token != null && token.isTextual() ? Optional.of(token.asText()) : Optional.empty();
  }

  static UpdateRequest update(ObjectNode r) {
    JsonNode status = r.get("status");
    if (status == null || !status.isTextual()) {
      throw invalid("status is required");
    }
    ExecutionStatus target;
    try {
      target = ExecutionStatus.valueOf(status.asText());
    } catch (IllegalArgumentException e) {
      target = null;
    }
    if (target == null || !ExecutionStatus.DEVICE_SETTABLE.contains(target)) {
      throw invalid("status must be one of IN_PROGRESS, SUCCEEDED, FAILED, REJECTED");
    }
    return new UpdateRequest(
        target,
        statusDetails(r),
        optionalLong(r, "expectedVersion"),
        optionalLong(r, "executionNumber"),
        optionalBoolean(r, "includeJobExecutionState").orElse(false),
        optionalBoolean(r, "includeJobDocument").orElse(false),
        stepTimeout(r));
  }

  /** statusDetails: an object of string values (AWS's map of strings); absent = unchanged. */
  static Optional<Map<String, String>> statusDetails(ObjectNode r) {
    JsonNode details = r.get("statusDetails");
    if (details == null || details.isNull()) {
      return Optional.empty();
    }
    if (!details.isObject()) {
      throw invalid("statusDetails must be an object of strings");
    }
    Map<String, String> map = new LinkedHashMap<>();
    var fields = details.fields();
    while (fields.hasNext()) {
      var field = fields.next();
      if (!field.getValue().isTextual()) {
        throw invalid("statusDetails." + field.getKey() + " must be a string");
      }
      map.put(field.getKey(), field.getValue().asText());
    }
    return Optional.of(map);
  }

  static Optional<Long> stepTimeout(ObjectNode r) {
    Optional<Long> minutes = optionalLong(r, "stepTimeoutInMinutes");
    minutes.ifPresent(
        m -> {
          if (m != -1 && (m < 1 || m > MAX_STEP_MINUTES)) {
            throw invalid("stepTimeoutInMinutes must be -1 or 1.." + MAX_STEP_MINUTES);
          }
        });
    return minutes;
  }

  static Optional<Long> optionalLong(ObjectNode r, String field) {
    JsonNode value = r.get(field);
    if (value == null || value.isNull()) {
      return Optional.empty();
    }
    if (!value.isIntegralNumber() || !value.canConvertToLong()) {
      throw invalid(field + " must be an integer");
    }
    return Optional.of(value.asLong());
  }

  static Optional<Boolean> optionalBoolean(ObjectNode r, String field) {
    JsonNode value = r.get(field);
    if (value == null || value.isNull()) {
      return Optional.empty();
    }
    if (!value.isBoolean()) {
      throw invalid(field + " must be true or false");
    }
    return Optional.of(value.asBoolean());
  }

  private static JobRejection invalid(String message) {
    return new JobRejection(JobRejection.INVALID_REQUEST, message);
  }
}
