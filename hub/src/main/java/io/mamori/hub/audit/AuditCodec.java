package io.mamori.hub.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mamori.hub.events.HubEvent;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.TreeMap;

/**
 * The audit log's byte format. A record is one line of canonical JSON: object keys sorted, no
 * whitespace, UTF-8 (the shape of RFC 8785 for the strings and integers used here). Its {@code
 * hash} is SHA-256 over the previous record's hash (32 raw bytes) followed by the canonical bytes
 * of the record without its {@code hash} field, so a third party can recompute it with any JSON
 * library that sorts keys.
 */
public final class AuditCodec {
  private static final HexFormat HEX = HexFormat.of();
  private final ObjectMapper json = new ObjectMapper();

  /** The record with its hash computed, ready to be written. */
  AuditRecord seal(long seq, Instant time, String kind, ObjectNode body, String prev) {
    ObjectNode unsigned = unsealed(seq, time, kind, body, prev);
    return new AuditRecord(seq, time, kind, body, prev, hash(prev, canonicalBytes(unsigned)));
  }

  /** One line (without the newline) in canonical form. */
  String line(AuditRecord record) {
    ObjectNode node =
        unsealed(record.seq(), record.time(), record.kind(), record.body(), record.prev());
    node.put("hash", record.hash());
    return new String(canonicalBytes(node), StandardCharsets.UTF_8);
  }

  /** The hash this record should carry, recomputed from its content and its {@code prev}. */
  String recomputeHash(AuditRecord record) {
    return hash(
        record.prev(),
        canonicalBytes(
            unsealed(record.seq(), record.time(), record.kind(), record.body(), record.prev())));
  }

  /**
   * Parses one line.
   *
   * @throws MalformedRecordException naming what is wrong, when the line is not a record
   */
  AuditRecord parse(String line) {
    JsonNode node;
    try {
      node = json.readTree(line);
    } catch (JsonProcessingException e) {
      throw new MalformedRecordException("not valid JSON");
    }
    if (node == null || !node.isObject()) {
      throw new MalformedRecordException("not a JSON object");
    }
    JsonNode seq = node.get("seq");
    if (seq == null || !seq.canConvertToLong() || !seq.isIntegralNumber()) {
      throw new MalformedRecordException("no integer 'seq'");
    }
    String kind = text(node, "kind");
    JsonNode body = node.get(kind);
    if (body == null || !body.isObject()) {
      throw new MalformedRecordException("no '" + kind + "' object");
    }
    if (node.size() != 6) {
      throw new MalformedRecordException("unexpected fields " + fieldNames(node));
    }
    Instant time;
    try {
      time = Instant.parse(text(node, "time"));
    } catch (DateTimeParseException e) {
      throw new MalformedRecordException("'time' is not an ISO-8601 instant");
    }
    String prev = hex(node, "prev");
    String hash = hex(node, "hash");
    return new AuditRecord(seq.longValue(), time, kind, (ObjectNode) body, prev, hash);
  }

  /** The event as the audit log stores it. */
  ObjectNode eventBody(HubEvent event) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("type", event.type())
        .put("at", event.at().toString())
        .put("actor", event.actor())
        .put("subject", event.subject())
        .put("outcome", event.outcome())
        .put("reason", event.reason());
    ObjectNode details = node.putObject("details");
    new TreeMap<>(event.details()).forEach(details::put);
    return node;
  }

  ObjectNode object() {
    return JsonNodeFactory.instance.objectNode();
  }

  /** The record as a JSON tree (for the REST API). */
  ObjectNode tree(AuditRecord record) {
    ObjectNode node =
        unsealed(record.seq(), record.time(), record.kind(), record.body(), record.prev());
    node.put("hash", record.hash());
    return node;
  }

  static String hash(String prevHex, byte[] canonical) {
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      sha256.update(HEX.parseHex(prevHex));
      return HEX.formatHex(sha256.digest(canonical));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  static String sha256(byte[] bytes) {
    try {
      return HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  private static ObjectNode unsealed(
      long seq, Instant time, String kind, ObjectNode body, String prev) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("seq", seq).put("time", time.toString()).put("kind", kind).put("prev", prev);
    node.set(kind, body);
    return node;
  }

  private byte[] canonicalBytes(JsonNode node) {
    try {
      return json.writeValueAsBytes(sorted(node));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always serializes", e);
    }
  }

  /** A copy with every object's keys in code-point order (the canonical form). */
  private static JsonNode sorted(JsonNode node) {
    if (node.isObject()) {
      TreeMap<String, JsonNode> fields = new TreeMap<>();
      node.properties().forEach(e -> fields.put(e.getKey(), sorted(e.getValue())));
      ObjectNode copy = JsonNodeFactory.instance.objectNode();
      fields.forEach(copy::set);
      return copy;
    }
    if (node.isArray()) {
      ArrayNode copy = JsonNodeFactory.instance.arrayNode();
      node.forEach(item -> copy.add(sorted(item)));
      return copy;
    }
    return node;
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || !value.isTextual()) {
      throw new MalformedRecordException("no string '" + field + "'");
    }
    return value.textValue();
  }

  private static String hex(JsonNode node, String field) {
    String value = text(node, field);
    if (!value.matches("[0-9a-f]{64}")) {
      throw new MalformedRecordException("'" + field + "' is not 64 lowercase hex digits");
    }
    return value;
  }

  private static String fieldNames(JsonNode node) {
    var names = new java.util.ArrayList<String>();
    node.fieldNames().forEachRemaining(names::add);
    return names.toString();
  }

  /** A line that is not an audit record (edited, corrupted or truncated). */
  static final class MalformedRecordException extends RuntimeException {
    MalformedRecordException(String message) {
      super(message);
    }
  }
}
