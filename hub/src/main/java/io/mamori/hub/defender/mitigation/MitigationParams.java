package io.mamori.hub.defender.mitigation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/**
 * What some actions need: START_JOB a job document (and optionally its id); REPLACE_POLICY_VERSION
 * a policy name and the new document. Alarms carry these as the {@code mitigationParams} JSON.
 *
 * @param jobId the job to create; derived from thing, alarm and document when absent
 * @param jobDocument the job document (a JSON object)
 * @param jobTemplate a named job template: not supported by this hub, refused with a reason
 * @param policyName the policy to give a new default version
 * @param policyDocument that version's document (JSON text)
 */
public record MitigationParams(
    Optional<String> jobId,
    Optional<ObjectNode> jobDocument,
    Optional<String> jobTemplate,
    Optional<String> policyName,
    Optional<String> policyDocument) {

  public static final MitigationParams NONE =
      new MitigationParams(
          Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());

  /**
   * Reads {@code jobId}, {@code document}, {@code jobTemplate}, {@code policyName} and {@code
   * policyDocument} (a string or an object) from a JSON object.
   *
   * @throws IllegalArgumentException when it is not a JSON object or a field has the wrong type
   */
  public static MitigationParams fromJson(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return NONE;
    }
    if (!node.isObject()) {
      throw new IllegalArgumentException("mitigation parameters must be a JSON object");
    }
    JsonNode document = node.get("document");
    if (document != null && !document.isNull() && !document.isObject()) {
      throw new IllegalArgumentException("'document' must be a JSON object (the job document)");
    }
    JsonNode policyDocument = node.get("policyDocument");
    Optional<String> policyText = Optional.empty();
    if (policyDocument != null && !policyDocument.isNull()) {
      policyText =
          Optional.of(
              policyDocument.isTextual() ? policyDocument.textValue() : policyDocument.toString());
    }
    return new MitigationParams(
        text(node, "jobId"),
        Optional.ofNullable(document)
            .filter(JsonNode::isObject)
            .map(d -> (ObjectNode) d.deepCopy()),
        text(node, "jobTemplate"),
        text(node, "policyName"),
        policyText);
  }

  /** As {@link #fromJson(JsonNode)}, from the text an alarm event carries; blank means none. */
  public static MitigationParams fromJsonText(String text, ObjectMapper json) {
    if (text == null || text.isBlank()) {
      return NONE;
    }
    try {
      return fromJson(json.readTree(text));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("mitigationParams is not valid JSON");
    }
  }

  private static Optional<String> text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return Optional.empty();
    }
    if (!value.isTextual()) {
      throw new IllegalArgumentException("'" + field + "' must be a string");
    }
    return Optional.of(value.textValue());
  }
}
