package io.mamori.hub.identity;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Locale;
import java.util.Optional;

/**
 * The two encodings of the {@code $aws/certificates} and {@code $aws/provisioning-templates} APIs
 * (reference §1.1): the last level of the request topic names it, and the answer uses the same one.
 */
public enum PayloadFormat {
  JSON(new ObjectMapper()),
  CBOR(new CBORMapper());

  private final ObjectMapper mapper;

  PayloadFormat(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  /** The topic level ({@code json} or {@code cbor}). */
  public String topicLevel() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<PayloadFormat> fromTopicLevel(String level) {
    for (PayloadFormat format : values()) {
      if (format.topicLevel().equals(level)) {
        return Optional.of(format);
      }
    }
    return Optional.empty();
  }

  /**
   * Reads a request: an object (map), or an empty object for an empty payload. Unknown keys are the
   * caller's to ignore (reference §0: SDKs send extra fields).
   *
   * @throws IdentityApiException (400) for anything else
   */
  public JsonNode readRequest(byte[] payload) {
    if (payload.length == 0) {
      return mapper.createObjectNode();
    }
    JsonNode node;
    try {
      node = mapper.readTree(payload);
    } catch (IOException e) {
      throw IdentityApiException.invalid(
          "payload is not valid " + name() + ": " + firstLine(e.getMessage()));
    }
    if (node == null || node.isMissingNode()) {
      return mapper.createObjectNode();
    }
    if (!node.isObject()) {
      throw IdentityApiException.invalid(
          "payload must be a " + name() + " object (map), got " + node.getNodeType());
    }
    return node;
  }

  /** Writes a response record with its exact keys. */
  public byte[] write(Object message) {
    // Jackson writes beans and trees as indefinite-length CBOR maps; small device decoders handle
    // definite lengths best (RFC 8949 §4.2.1 preferred serialization), so sizes are written here.
    var out = new ByteArrayOutputStream();
    try (JsonGenerator generator = mapper.getFactory().createGenerator(out)) {
      writeNode(generator, mapper.valueToTree(message));
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode " + message.getClass().getSimpleName(), e);
    }
    return out.toByteArray();
  }

  private static void writeNode(JsonGenerator generator, JsonNode node) throws IOException {
    if (node.isObject()) {
      generator.writeStartObject(node, node.size());
      for (var field : (Iterable<java.util.Map.Entry<String, JsonNode>>) node::fields) {
        generator.writeFieldName(field.getKey());
        writeNode(generator, field.getValue());
      }
      generator.writeEndObject();
    } else if (node.isArray()) {
      generator.writeStartArray(node, node.size());
      for (JsonNode element : node) {
        writeNode(generator, element);
      }
      generator.writeEndArray();
    } else {
      generator.writeTree(node);
    }
  }

  /** A required text field of a request, or a 400 naming it. */
  public static String requiredText(JsonNode request, String field) {
    JsonNode value = request.get(field);
    if (value == null || value.isNull()) {
      throw IdentityApiException.invalid(field + " is missing");
    }
    if (!value.isTextual() || value.asText().isBlank()) {
      throw IdentityApiException.invalid(field + " must be a non-empty string");
    }
    return value.asText();
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unreadable";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
