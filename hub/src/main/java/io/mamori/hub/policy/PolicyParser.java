package io.mamori.hub.policy;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** Turns policy JSON into compiled {@link PolicyDocument}s, refusing what it cannot enforce. */
final class PolicyParser {

  // Immutable once built; holds no per-document state.
  private static final JsonMapper JSON =
      JsonMapper.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  private static final Set<String> TOP_LEVEL_KEYS = Set.of("Version", "Id", "Statement");
  private static final Set<String> STATEMENT_KEYS =
      Set.of("Sid", "Effect", "Action", "NotAction", "Resource", "NotResource", "Condition");

  /**
   * Data-plane actions of reference §5.2, lower-cased (IAM compares action names ignoring case).
   */
  private static final Set<String> IOT_ACTIONS =
      Set.of(
          "connect",
          "publish",
          "subscribe",
          "receive",
          "retainpublish",
          "getretainedmessage",
          "listretainedmessages",
          "getthingshadow",
          "updatethingshadow",
          "deletethingshadow",
          "listnamedshadowsforthing",
          "describejobexecution",
          "getpendingjobexecutions",
          "updatejobexecution",
          "startnextpendingjobexecution",
          "assumerolewithcertificate");

  private static final Pattern ACTION_SYNTAX = Pattern.compile("[A-Za-z0-9-]+:[A-Za-z0-9*?]+");

  private PolicyParser() {}

  static PolicyDocument parse(String json) {
    if (json == null || json.isBlank()) {
      throw new PolicyParseException("policy document is empty");
    }
    if (json.length() > PolicyDocument.MAX_LENGTH) {
      throw new PolicyParseException(
          "policy document has "
              + json.length()
              + " characters; the limit is "
              + PolicyDocument.MAX_LENGTH);
    }
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (JacksonException e) {
      JsonLocation at = e.getLocation();
      String where =
          at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
      throw new PolicyParseException("invalid JSON" + where + ": " + e.getOriginalMessage(), e);
    }
    if (!root.isObject()) {
      throw new PolicyParseException("policy document must be a JSON object");
    }
    for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!TOP_LEVEL_KEYS.contains(name)) {
        throw fail(name, "unknown top-level key (allowed: Version, Id, Statement)");
      }
    }
    String version = version(root.get("Version"));
    if (root.has("Id") && !root.get("Id").isTextual()) {
      throw fail("Id", "must be a string");
    }
    JsonNode statementNode = root.get("Statement");
    if (statementNode == null) {
      throw fail("Statement", "is required");
    }
    List<JsonNode> nodes = new ArrayList<>();
    if (statementNode.isObject()) {
      nodes.add(statementNode); // IAM accepts a single statement object
    } else if (statementNode.isArray()) {
      statementNode.forEach(nodes::add);
      if (nodes.isEmpty()) {
        throw fail("Statement", "must contain at least one statement");
      }
    } else {
      throw fail("Statement", "must be an object or an array of objects");
    }
    boolean variables = version.equals(PolicyDocument.VERSION_2012);
    List<Statement> statements = new ArrayList<>();
    for (int i = 0; i < nodes.size(); i++) {
      statements.add(statement(nodes.get(i), "Statement[" + i + "]", variables));
    }
    return new PolicyDocument(version, statements);
  }

  private static String version(JsonNode node) {
    if (node == null) {
      return PolicyDocument.VERSION_2008; // IAM: a document without Version is 2008-10-17
    }
    if (!node.isTextual()) {
      throw fail("Version", "must be a string");
    }
    String version = node.asText();
    if (!version.equals(PolicyDocument.VERSION_2012)
        && !version.equals(PolicyDocument.VERSION_2008)) {
      throw fail("Version", "'" + version + "' is not supported (use \"2012-10-17\")");
    }
    return version;
  }

  private static Statement statement(JsonNode node, String path, boolean variables) {
    if (!node.isObject()) {
      throw fail(path, "must be an object");
    }
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (name.equals("Principal") || name.equals("NotPrincipal")) {
        throw fail(
            path + "." + name,
            "is not allowed: an AWS IoT policy applies to the principals it is attached to");
      }
      if (!STATEMENT_KEYS.contains(name)) {
        throw fail(
            path + "." + name,
            "unknown key (allowed: Sid, Effect, Action, NotAction, Resource, NotResource,"
                + " Condition)");
      }
    }
    Optional<String> sid = Optional.empty();
    if (node.has("Sid")) {
      if (!node.get("Sid").isTextual()) {
        throw fail(path + ".Sid", "must be a string");
      }
      sid = Optional.of(node.get("Sid").asText());
    }
    Effect effect = effect(node.get("Effect"), path + ".Effect");
    requireExactlyOne(node, path, "Action", "NotAction");
    requireExactlyOne(node, path, "Resource", "NotResource");
    List<Glob> actions = actions(node.get("Action"), path + ".Action");
    List<Glob> notActions = actions(node.get("NotAction"), path + ".NotAction");
    List<Glob> resources = resources(node.get("Resource"), path + ".Resource", variables);
    List<Glob> notResources = resources(node.get("NotResource"), path + ".NotResource", variables);
    List<Condition> conditions =
        node.has("Condition")
            ? conditions(node.get("Condition"), path + ".Condition", variables)
            : List.of();
    return new Statement(sid, effect, actions, notActions, resources, notResources, conditions);
  }

  private static Effect effect(JsonNode node, String path) {
    if (node == null) {
      throw fail(path, "is required (\"Allow\" or \"Deny\")");
    }
    if (node.isTextual()) {
      for (Effect effect : Effect.values()) {
        if (effect.jsonName().equals(node.asText())) {
          return effect;
        }
      }
    }
    throw fail(path, "must be \"Allow\" or \"Deny\", not " + node);
  }

  private static void requireExactlyOne(JsonNode node, String path, String one, String other) {
    if (node.has(one) == node.has(other)) {
      throw fail(
          path,
          node.has(one) ? "has both " + one + " and " + other : "needs " + one + " or " + other);
    }
  }

  private static List<Glob> actions(JsonNode node, String path) {
    if (node == null) {
      return List.of();
    }
    List<String> texts = strings(node, path, false);
    List<Glob> actions = new ArrayList<>();
    for (int i = 0; i < texts.size(); i++) {
      String action = texts.get(i);
      String at = node.isArray() ? path + "[" + i + "]" : path;
      if (!action.equals("*") && !ACTION_SYNTAX.matcher(action).matches()) {
        throw fail(at, "'" + action + "' is not an action (expected e.g. \"iot:Publish\")");
      }
      int colon = action.indexOf(':');
      if (colon > 0) {
        String service = action.substring(0, colon).toLowerCase(Locale.ROOT);
        String name = action.substring(colon + 1);
        boolean wildcard = name.indexOf('*') >= 0 || name.indexOf('?') >= 0;
        // A misspelt iot: action would silently grant or deny nothing; refuse it instead.
        if (service.equals("iot")
            && !wildcard
            && !IOT_ACTIONS.contains(name.toLowerCase(Locale.ROOT))) {
          throw fail(at, "'" + action + "' is not an AWS IoT data-plane action");
        }
      }
      actions.add(Glob.compile(action, Glob.Syntax.ACTION));
    }
    return actions;
  }

  private static List<Glob> resources(JsonNode node, String path, boolean variables) {
    if (node == null) {
      return List.of();
    }
    List<String> texts = strings(node, path, false);
    List<Glob> resources = new ArrayList<>();
    for (int i = 0; i < texts.size(); i++) {
      String resource = texts.get(i);
      String at = node.isArray() ? path + "[" + i + "]" : path;
      if (!resource.equals("*") && !resource.startsWith("arn:")) {
        throw fail(at, "'" + resource + "' must be \"*\" or an ARN (arn:aws:iot:...)");
      }
      resources.add(compile(resource, Glob.Syntax.RESOURCE, at, variables));
    }
    return resources;
  }

  private static Glob compile(String text, Glob.Syntax syntax, String path, boolean variables) {
    if (!variables && text.contains("${")) {
      throw fail(
          path,
          "policy variables and ${...} escapes need \"Version\": \"2012-10-17\" (found '"
              + text
              + "')");
    }
    try {
      return Glob.compile(text, syntax);
    } catch (IllegalArgumentException e) {
      throw fail(path, e.getMessage());
    }
  }

  private static List<Condition> conditions(JsonNode node, String path, boolean variables) {
    if (!node.isObject() || node.isEmpty()) {
      throw fail(path, "must be a non-empty object of operator -> {key: value(s)}");
    }
    List<Condition> conditions = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      String operatorText = entry.getKey();
      String operatorPath = path + "." + operatorText;
      Condition.SetQualifier qualifier = Condition.SetQualifier.NONE;
      String rest = operatorText;
      for (Condition.SetQualifier q : Condition.SetQualifier.values()) {
        if (q != Condition.SetQualifier.NONE && rest.startsWith(q.prefix())) {
          qualifier = q;
          rest = rest.substring(q.prefix().length());
        }
      }
      boolean ifExists = rest.endsWith("IfExists");
      String bare = ifExists ? rest.substring(0, rest.length() - "IfExists".length()) : rest;
      ConditionOperator operator =
          ConditionOperator.byJsonName(bare)
              .orElseThrow(() -> fail(path, "operator '" + operatorText + "' is not supported"));
      JsonNode keys = entry.getValue();
      if (!keys.isObject() || keys.isEmpty()) {
        throw fail(operatorPath, "must be a non-empty object of condition key -> value(s)");
      }
      for (Iterator<Map.Entry<String, JsonNode>> k = keys.fields(); k.hasNext(); ) {
        Map.Entry<String, JsonNode> keyEntry = k.next();
        String keyPath = operatorPath + "." + keyEntry.getKey();
        ContextKey key;
        try {
          key = ContextKey.parse(keyEntry.getKey());
        } catch (IllegalArgumentException e) {
          throw fail(operatorPath, "condition key " + e.getMessage());
        }
        List<String> values = strings(keyEntry.getValue(), keyPath, true);
        if (!variables) {
          for (String value : values) {
            compile(value, Glob.Syntax.CONDITION_LITERAL, keyPath, false);
          }
        }
        try {
          conditions.add(Condition.compile(operator, qualifier, ifExists, key, values));
        } catch (IllegalArgumentException e) {
          throw fail(keyPath, e.getMessage());
        }
      }
    }
    return conditions;
  }

  /**
   * A string or a non-empty array of strings. Condition values may also be JSON numbers or booleans
   * ({@code "Bool": {"k": true}}), which IAM reads as their text.
   */
  private static List<String> strings(JsonNode node, String path, boolean scalars) {
    if (node.isArray()) {
      if (node.isEmpty()) {
        throw fail(path, "must not be an empty list");
      }
      List<String> values = new ArrayList<>();
      for (int i = 0; i < node.size(); i++) {
        values.add(scalar(node.get(i), path + "[" + i + "]", scalars));
      }
      return values;
    }
    return List.of(scalar(node, path, scalars));
  }

  private static String scalar(JsonNode node, String path, boolean scalars) {
    if (node.isTextual()) {
      return node.asText();
    }
    if (scalars && (node.isBoolean() || node.isNumber())) {
      return node.asText();
    }
    throw fail(
        path,
        "must be a string"
            + (scalars ? ", number or boolean" : "")
            + " or a list of them, not "
            + node.getNodeType().name().toLowerCase(Locale.ROOT));
  }

  private static PolicyParseException fail(String path, String message) {
    return new PolicyParseException(path + ": " + message);
  }
}
