package io.mamori.hub.shadow;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * A parsed and checked shadow request payload, refused with the exact AWS error (reference §4.3)
 * when it breaks a rule. Unknown top-level keys are tolerated: the v2 SDKs also send {@code
 * thingName} and {@code shadowName} (§11.2).
 *
 * @param state the request's {@code state} (update only; empty object for get and delete)
 * @param version the expected current version, when the request names one
 * @param clientToken echoed back in every answer to this request
 */
record ShadowRequest(ObjectNode state, Optional<Long> version, Optional<String> clientToken) {
  /** AWS §4.4: 6 levels inside desired/reported. */
  static final int MAX_DEPTH = 6;

  /** AWS §4.4: the state document is at most 8 KB (metadata excluded). */
  static final int MAX_STATE_BYTES = 8 * 1024;

  /** AWS §0: a clientToken is at most 64 bytes. */
  static final int MAX_CLIENT_TOKEN_BYTES = 64;

  static final ObjectMapper JSON =
      JsonMapper.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  /** An {@code /update} request: {@code {"state": {...}, "version": N, "clientToken": "..."}}. */
  static ShadowRequest update(byte[] payload) {
    ObjectNode body = parse(payload);
    Optional<String> token = clientToken(body);
    Optional<Long> version = version(body);
    JsonNode state = body.get("state");
    if (state == null) {
      throw ShadowRejection.badRequest(ShadowRejection.MISSING_STATE);
    }
    if (!state.isObject()) {
      throw ShadowRejection.badRequest(ShadowRejection.STATE_NOT_OBJECT);
    }
    for (Map.Entry<String, JsonNode> section : state.properties()) {
      checkSection(section.getKey(), section.getValue());
    }
    if (utf8Length(state) > MAX_STATE_BYTES) {
      throw new ShadowRejection(413, ShadowRejection.TOO_LARGE);
    }
    return new ShadowRequest((ObjectNode) state, version, token);
  }

  /**
   * A {@code /get} or {@code /delete} request: the payload may be empty or any content (AWS ignores
   * it); only a well-formed {@code clientToken} is taken from a JSON object.
   */
  static ShadowRequest tokenOnly(byte[] payload) {
    Optional<String> token = Optional.empty();
    if (payload.length > 0) {
      try {
        JsonNode body = JSON.readTree(payload);
        if (body instanceof ObjectNode object) {
          token = clientToken(object);
        }
      } catch (IOException e) {
        // AWS §4.1: the content of get and delete requests is ignored.
      }
    }
    return new ShadowRequest(JSON.createObjectNode(), Optional.empty(), token);
  }

  /** The clientToken of a payload that may be invalid, so that a rejection can still echo it. */
  static Optional<String> tokenOf(byte[] payload) {
    try {
      return tokenOnly(payload).clientToken();
    } catch (ShadowRejection e) {
      return Optional.empty();
    }
  }

  private static ObjectNode parse(byte[] payload) {
    if (!isUtf8(payload)) {
      throw new ShadowRejection(415, ShadowRejection.NOT_UTF8);
    }
    JsonNode body;
    try {
      body = JSON.readTree(payload);
    } catch (IOException e) {
      throw ShadowRejection.badRequest(ShadowRejection.INVALID_JSON);
    }
    if (!(body instanceof ObjectNode object)) {
      throw ShadowRejection.badRequest(ShadowRejection.INVALID_JSON);
    }
    return object;
  }

  private static Optional<String> clientToken(ObjectNode body) {
    JsonNode token = body.get("clientToken");
    if (token == null || token.isNull()) {
      return Optional.empty();
    }
    if (!token.isTextual()
        || token.textValue().getBytes(StandardCharsets.UTF_8).length > MAX_CLIENT_TOKEN_BYTES) {
      throw ShadowRejection.badRequest(ShadowRejection.INVALID_CLIENT_TOKEN);
    }
    return Optional.of(token.textValue());
  }

  private static Optional<Long> version(ObjectNode body) {
    JsonNode version = body.get("version");
    if (version == null || version.isNull()) {
      return Optional.empty();
    }
    if (!version.isIntegralNumber() || !version.canConvertToLong() || version.longValue() < 0) {
      throw ShadowRejection.badRequest(ShadowRejection.INVALID_VERSION);
    }
    return Optional.of(version.longValue());
  }

  /** Only desired and reported may appear in state; each is an object or null. */
  private static void checkSection(String name, JsonNode value) {
    switch (name) {
      case ShadowDocuments.DESIRED -> {
        if (!value.isObject() && !value.isNull()) {
          throw ShadowRejection.badRequest(ShadowRejection.DESIRED_NOT_OBJECT);
        }
      }
      case ShadowDocuments.REPORTED -> {
        if (!value.isObject() && !value.isNull()) {
          throw ShadowRejection.badRequest(ShadowRejection.REPORTED_NOT_OBJECT);
        }
      }
      default -> throw ShadowRejection.badRequest(ShadowRejection.INVALID_NODE);
    }
    // {"desired": {"a": {"b": 1}}} is two levels deep; AWS's quota table counts the same limit as
    // 8 levels because it also counts "state" and "desired".
    if (ShadowDocuments.depth(value) > MAX_DEPTH) {
      throw ShadowRejection.badRequest(ShadowRejection.TOO_DEEP);
    }
    if (ShadowDocuments.hasNullInArray(value)) {
      throw ShadowRejection.badRequest(ShadowRejection.INVALID_NODE);
    }
  }

  static int utf8Length(JsonNode node) {
    try {
      return JSON.writeValueAsBytes(node).length;
    } catch (IOException e) {
      throw new IllegalStateException("cannot serialize a parsed JSON tree", e);
    }
  }

  private static boolean isUtf8(byte[] payload) {
    try {
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(payload));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }
}
