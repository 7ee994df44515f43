package io.mamori.hub.provisioning;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.mamori.hub.genuine.IdentityKind;
import io.mamori.hub.registry.RegistryException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An AWS IoT provisioning template (reference §1.4): {@code Parameters}, {@code Resources} of type
 * thing, certificate and policy, optional {@code Mappings} and {@code DeviceConfiguration}, and the
 * intrinsic functions {@code Ref}, {@code Fn::Join}, {@code Fn::Select}, {@code Fn::Split}, {@code
 * Fn::Sub} and {@code Fn::FindInMap}. {@link #parse} checks everything that can be checked without
 * a device's parameters, so a template that could never work is refused when it is stored; {@link
 * #evaluate} fills in one device's parameters.
 */
public final class TemplateDocument {
  static final String THING = "AWS::IoT::Thing";
  static final String CERTIFICATE = "AWS::IoT::Certificate";
  static final String POLICY = "AWS::IoT::Policy";

  /** Fleet provisioning's pseudo parameter: the certificate the ownership token proves. */
  public static final String CERTIFICATE_ID = "AWS::IoT::Certificate::Id";

  /**
   * Mamori extension: {@code {"Kind": "SerialNumber"|"HardwareId", "Value": <expression>}} or
   * {@code {"Kind": "PublicKeySha256"}}; the device's identity must be on the genuine list, unused.
   */
  public static final String GENUINE_IDENTITY = "Mamori::GenuineIdentity";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> TOP_LEVEL =
      Set.of("Parameters", "Resources", "Mappings", "DeviceConfiguration", GENUINE_IDENTITY);
  private static final Set<String> PARAMETER_TYPES = Set.of("String", "Number");
  private static final Set<String> FUNCTIONS =
      Set.of("Ref", "Fn::Join", "Fn::Select", "Fn::Split", "Fn::Sub", "Fn::FindInMap");
  private static final Map<String, Set<String>> PROPERTIES =
      Map.of(
          THING,
          Set.of("ThingName", "AttributePayload", "ThingTypeName", "ThingGroups", "BillingGroup"),
          CERTIFICATE,
          Set.of(
              "CertificateId",
              "CertificateSigningRequest",
              "CertificatePem",
              "CACertificatePem",
              "Status"),
          POLICY,
          Set.of("PolicyName", "PolicyDocument"));
  private static final Map<String, Set<String>> OVERRIDE_KEYS =
      Map.of(
          THING, Set.of("AttributePayload", "ThingTypeName", "ThingGroups"),
          CERTIFICATE, Set.of("Status"));
  private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{([^}]*)}");

  private final ObjectNode root;
  private final Map<String, Optional<String>> defaults; // parameter -> Default

  private TemplateDocument(ObjectNode root, Map<String, Optional<String>> defaults) {
    this.root = root;
    this.defaults = defaults;
  }

  /**
   * Parses and validates a template body.
   *
   * @throws RegistryException INVALID naming the first problem found
   */
  public static TemplateDocument parse(String body) {
    JsonNode node;
    try {
      node = JSON.readTree(body);
    } catch (JsonProcessingException e) {
      throw RegistryException.invalid(
          "template is not valid JSON: " + e.getOriginalMessage().lines().findFirst().orElse(""));
    }
    if (node == null || !node.isObject()) {
      throw RegistryException.invalid("template must be a JSON object");
    }
    ObjectNode root = (ObjectNode) node;
    for (String key : names(root)) {
      if (!TOP_LEVEL.contains(key)) {
        throw RegistryException.invalid(
            "template has unknown top-level key '"
                + key
                + "' (allowed: Parameters, Resources, Mappings, DeviceConfiguration, "
                + GENUINE_IDENTITY
                + ")");
      }
    }
    Map<String, Optional<String>> defaults = parameters(root.get("Parameters"));
    JsonNode mappings = root.get("Mappings");
    if (mappings != null) {
      checkMappings(mappings);
    }
    var document = new TemplateDocument(root, defaults);
    JsonNode resources = root.get("Resources");
    if (resources == null || !resources.isObject() || resources.isEmpty()) {
      throw RegistryException.invalid("template needs a non-empty 'Resources' object");
    }
    int things = 0;
    int certificatesSeen = 0;
    for (String logical : names(resources)) {
      String type = document.checkResource(logical, resources.get(logical));
      things += type.equals(THING) ? 1 : 0;
      certificatesSeen += type.equals(CERTIFICATE) ? 1 : 0;
    }
    if (things > 1) {
      throw RegistryException.invalid("template declares more than one AWS::IoT::Thing");
    }
    if (certificatesSeen != 1) {
      throw RegistryException.invalid(
          "template must declare exactly one AWS::IoT::Certificate resource, found "
              + certificatesSeen);
    }
    JsonNode genuine = root.get(GENUINE_IDENTITY);
    if (genuine != null) {
      document.checkGenuine(genuine);
    }
    JsonNode configuration = root.get("DeviceConfiguration");
    if (configuration != null) {
      if (!configuration.isObject()) {
        throw RegistryException.invalid("'DeviceConfiguration' must be an object");
      }
      for (String key : names(configuration)) {
        JsonNode value = configuration.get(key);
        if (value.isContainerNode() && !isFunction(value)) {
          // Reference §1.2: the device configuration is a flat string map.
          throw RegistryException.invalid(
              "DeviceConfiguration." + key + " must be a string (nested objects not supported)");
        }
        document.checkFunctions(value, "DeviceConfiguration." + key);
      }
    }
    return document;
  }

  /**
   * Declared parameters without a {@code Default}: the request (or certificate) must supply them.
   */
  Set<String> parametersWithoutDefault() {
    var names = new java.util.LinkedHashSet<String>();
    defaults.forEach((name, value) -> value.ifPresentOrElse(v -> {}, () -> names.add(name)));
    return names;
  }

  /** Names of the declared parameters, pseudo parameters included. */
  public Set<String> parameterNames() {
    return defaults.keySet();
  }

  /**
   * Evaluates the template with the device's {@code parameters} and the pseudo parameters the hub
   * supplies ({@link #CERTIFICATE_ID}).
   *
   * @throws TemplateException when a parameter is missing or a function cannot be evaluated
   */
  public ProvisioningPlan evaluate(Map<String, String> parameters, Map<String, String> pseudo) {
    var values = new LinkedHashMap<String, String>();
    defaults.forEach((name, value) -> value.ifPresent(v -> values.put(name, v)));
    values.putAll(parameters);
    values.putAll(pseudo);
    var evaluator = new Evaluator(values);
    Optional<ProvisioningPlan.ThingPlan> thing = Optional.empty();
    String certificateId = null;
    boolean active = true;
    List<ProvisioningPlan.PolicyPlan> policies = new ArrayList<>();
    JsonNode resources = root.get("Resources");
    for (String logical : names(resources)) {
      JsonNode resource = resources.get(logical);
      String type = resource.get("Type").asText();
      JsonNode properties = evaluator.resolve(resource.path("Properties"), logical);
      switch (type) {
        case THING -> thing = Optional.of(thingPlan(logical, properties, resource));
        case CERTIFICATE -> {
          certificateId = text(properties, "CertificateId", logical);
          String status = properties.path("Status").asText("ACTIVE").toUpperCase(Locale.ROOT);
          if (!status.equals("ACTIVE") && !status.equals("INACTIVE")) {
            throw TemplateException.invalidParameters(
                logical + ".Status must be ACTIVE or INACTIVE, got " + status);
          }
          active = status.equals("ACTIVE");
        }
        default -> policies.add(policyPlan(logical, properties));
      }
    }
    var configuration = new TreeMap<String, String>();
    JsonNode config = root.get("DeviceConfiguration");
    if (config != null) {
      for (String key : names(config)) {
        JsonNode value = evaluator.resolve(config.get(key), "DeviceConfiguration." + key);
        if (!value.isValueNode()) {
          throw TemplateException.invalidParameters(
              "DeviceConfiguration." + key + " did not evaluate to a string");
        }
        configuration.put(key, value.asText());
      }
    }
    return new ProvisioningPlan(
        thing, certificateId, active, policies, configuration, genuine(evaluator));
  }

  private void checkGenuine(JsonNode genuine) {
    if (!genuine.isObject() || !genuine.path("Kind").isTextual()) {
      throw RegistryException.invalid(
          GENUINE_IDENTITY
              + " must be an object with a Kind (SerialNumber, HardwareId,"
              + " PublicKeySha256) and, except for PublicKeySha256, a Value");
    }
    for (String key : names(genuine)) {
      if (!key.equals("Kind") && !key.equals("Value")) {
        throw RegistryException.invalid(GENUINE_IDENTITY + " has unknown key '" + key + "'");
      }
    }
    IdentityKind kind = IdentityKind.parse(genuine.get("Kind").asText());
    JsonNode value = genuine.get("Value");
    if (kind == IdentityKind.PUBLIC_KEY_SHA256 && value != null) {
      throw RegistryException.invalid(
          GENUINE_IDENTITY + " PublicKeySha256 takes no Value: it is the certificate's key");
    }
    if (kind != IdentityKind.PUBLIC_KEY_SHA256 && value == null) {
      throw RegistryException.invalid(
          GENUINE_IDENTITY
              + " "
              + kind.wireName()
              + " needs a Value, e.g. {\"Ref\": \"SerialNumber\"}");
    }
    if (value != null) {
      checkFunctions(value, GENUINE_IDENTITY + ".Value");
    }
  }

  private Optional<ProvisioningPlan.GenuineRequirement> genuine(Evaluator evaluator) {
    JsonNode genuine = root.get(GENUINE_IDENTITY);
    if (genuine == null) {
      return Optional.empty();
    }
    IdentityKind kind = IdentityKind.parse(genuine.get("Kind").asText());
    if (!genuine.has("Value")) {
      return Optional.of(new ProvisioningPlan.GenuineRequirement(kind, Optional.empty()));
    }
    JsonNode value = evaluator.resolve(genuine.get("Value"), GENUINE_IDENTITY + ".Value");
    if (!value.isValueNode() || value.asText().isEmpty()) {
      throw TemplateException.invalidParameters(
          GENUINE_IDENTITY + ".Value did not evaluate to a non-empty string");
    }
    return Optional.of(new ProvisioningPlan.GenuineRequirement(kind, Optional.of(value.asText())));
  }

  private static ProvisioningPlan.ThingPlan thingPlan(
      String logical, JsonNode properties, JsonNode resource) {
    String name = text(properties, "ThingName", logical);
    var attributes = new TreeMap<String, String>();
    JsonNode payload = properties.path("AttributePayload");
    // AWS's own examples nest the attributes under "attributes" (CreateThing's shape); both work.
    JsonNode attributeNode = payload.has("attributes") ? payload.get("attributes") : payload;
    for (String key : names(attributeNode)) {
      JsonNode value = attributeNode.get(key);
      if (!value.isValueNode()) {
        throw TemplateException.invalidParameters(
            logical + ".AttributePayload." + key + " must be a string");
      }
      attributes.put(key, value.asText());
    }
    Optional<String> type =
        properties.hasNonNull("ThingTypeName")
            ? Optional.of(text(properties, "ThingTypeName", logical))
            : Optional.empty();
    List<String> groups = new ArrayList<>();
    JsonNode groupNode = properties.path("ThingGroups");
    if (!groupNode.isMissingNode() && !groupNode.isArray()) {
      throw TemplateException.invalidParameters(logical + ".ThingGroups must be a list");
    }
    groupNode.forEach(g -> groups.add(g.asText()));
    var overrides = new LinkedHashMap<String, ProvisioningPlan.Override>();
    JsonNode settings = resource.path("OverrideSettings");
    for (String key : names(settings)) {
      overrides.put(key, ProvisioningPlan.Override.valueOf(settings.get(key).asText()));
    }
    return new ProvisioningPlan.ThingPlan(name, attributes, type, groups, overrides);
  }

  private static ProvisioningPlan.PolicyPlan policyPlan(String logical, JsonNode properties) {
    if (properties.hasNonNull("PolicyName")) {
      return new ProvisioningPlan.PolicyPlan(
          Optional.of(text(properties, "PolicyName", logical)), Optional.empty());
    }
    JsonNode document = properties.get("PolicyDocument");
    // Reference §1.4: an escaped JSON string, or an inline object in the fleet examples.
    String text = document.isTextual() ? document.textValue() : document.toString();
    return new ProvisioningPlan.PolicyPlan(Optional.empty(), Optional.of(text));
  }

  private static String text(JsonNode properties, String field, String logical) {
    JsonNode value = properties.get(field);
    if (value == null || value.isNull() || !value.isValueNode() || value.asText().isEmpty()) {
      throw TemplateException.invalidParameters(
          logical + "." + field + " did not evaluate to a non-empty string");
    }
    return value.asText();
  }

  private static Map<String, Optional<String>> parameters(JsonNode node) {
    var out = new LinkedHashMap<String, Optional<String>>();
    out.put(CERTIFICATE_ID, Optional.empty());
    if (node == null) {
      return out;
    }
    if (!node.isObject()) {
      throw RegistryException.invalid("'Parameters' must be an object");
    }
    for (String name : names(node)) {
      JsonNode parameter = node.get(name);
      if (!parameter.isObject()) {
        throw RegistryException.invalid("parameter '" + name + "' must be an object with a Type");
      }
      String type = parameter.path("Type").asText("");
      if (!PARAMETER_TYPES.contains(type)) {
        throw RegistryException.invalid(
            "parameter '" + name + "' has Type '" + type + "'; supported: String, Number");
      }
      JsonNode value = parameter.get("Default");
      if (value != null && !value.isValueNode()) {
        throw RegistryException.invalid("parameter '" + name + "' Default must be a string");
      }
      out.put(name, Optional.ofNullable(value).map(JsonNode::asText));
    }
    return out;
  }

  private static void checkMappings(JsonNode mappings) {
    if (!mappings.isObject()) {
      throw RegistryException.invalid("'Mappings' must be an object");
    }
    for (String map : names(mappings)) {
      JsonNode top = mappings.get(map);
      if (!top.isObject()) {
        throw RegistryException.invalid("mapping '" + map + "' must be an object of objects");
      }
      for (String key : names(top)) {
        JsonNode second = top.get(key);
        if (!second.isObject()) {
          throw RegistryException.invalid("mapping '" + map + "." + key + "' must be an object");
        }
        for (String leaf : names(second)) {
          JsonNode value = second.get(leaf);
          if (value.isObject()) {
            // Reference §1.4: Mappings cannot contain parameters or functions.
            throw RegistryException.invalid(
                "mapping '" + map + "." + key + "." + leaf + "' must be a value, not a function");
          }
        }
      }
    }
  }

  private String checkResource(String logical, JsonNode resource) {
    if (!resource.isObject()) {
      throw RegistryException.invalid("resource '" + logical + "' must be an object");
    }
    String type = resource.path("Type").asText("");
    if (!PROPERTIES.containsKey(type)) {
      throw RegistryException.invalid(
          "resource '"
              + logical
              + "' has unknown Type '"
              + type
              + "' (supported: AWS::IoT::Thing, AWS::IoT::Certificate, AWS::IoT::Policy)");
    }
    JsonNode properties = resource.path("Properties");
    if (!properties.isObject()) {
      throw RegistryException.invalid("resource '" + logical + "' needs a 'Properties' object");
    }
    for (String property : names(properties)) {
      if (!PROPERTIES.get(type).contains(property)) {
        throw RegistryException.invalid(
            "resource '" + logical + "' (" + type + ") has unknown property '" + property + "'");
      }
      checkFunctions(properties.get(property), logical + "." + property);
    }
    switch (type) {
      case THING -> require(properties, "ThingName", logical);
      case CERTIFICATE -> {
        // Reference §1.4: fleet-provisioning templates must name the certificate by id.
        require(properties, "CertificateId", logical);
        for (String other : List.of("CertificateSigningRequest", "CertificatePem")) {
          if (properties.has(other)) {
            throw RegistryException.invalid(
                "resource '" + logical + "' must use only CertificateId, not " + other);
          }
        }
        JsonNode status = properties.get("Status");
        if (status != null && status.isTextual()) {
          String value = status.asText().toUpperCase(Locale.ROOT);
          if (!value.equals("ACTIVE") && !value.equals("INACTIVE")) {
            throw RegistryException.invalid(
                "resource '" + logical + "' Status must be ACTIVE or INACTIVE");
          }
        }
      }
      default -> {
        if (properties.has("PolicyName") == properties.has("PolicyDocument")) {
          throw RegistryException.invalid(
              "resource '" + logical + "' needs exactly one of PolicyName or PolicyDocument");
        }
        JsonNode document = properties.get("PolicyDocument");
        if (document != null && !document.isTextual() && !document.isObject()) {
          throw RegistryException.invalid(
              "resource '" + logical + "' PolicyDocument must be a JSON string or object");
        }
      }
    }
    JsonNode overrides = resource.get("OverrideSettings");
    if (overrides != null) {
      Set<String> allowed = OVERRIDE_KEYS.getOrDefault(type, Set.of());
      if (!overrides.isObject() || (allowed.isEmpty() && !overrides.isEmpty())) {
        throw RegistryException.invalid(
            "resource '" + logical + "' OverrideSettings are not available for " + type);
      }
      for (String key : names(overrides)) {
        String value = overrides.get(key).asText("");
        if (!allowed.contains(key)) {
          throw RegistryException.invalid(
              "resource '" + logical + "' OverrideSettings has unknown key '" + key + "'");
        }
        try {
          var setting = ProvisioningPlan.Override.valueOf(value);
          if (setting == ProvisioningPlan.Override.MERGE
              && !(key.equals("AttributePayload") || key.equals("ThingGroups"))) {
            throw RegistryException.invalid(
                "resource '" + logical + "' OverrideSettings." + key + " cannot be MERGE");
          }
        } catch (IllegalArgumentException e) {
          throw RegistryException.invalid(
              "resource '"
                  + logical
                  + "' OverrideSettings."
                  + key
                  + " must be DO_NOTHING, REPLACE, FAIL or MERGE");
        }
      }
    }
    return type;
  }

  private static void require(JsonNode properties, String field, String logical) {
    if (!properties.hasNonNull(field)) {
      throw RegistryException.invalid("resource '" + logical + "' needs property " + field);
    }
  }

  private static boolean isFunction(JsonNode node) {
    if (!node.isObject() || node.size() != 1) {
      return false;
    }
    String key = node.fieldNames().next();
    return key.equals("Ref") || key.startsWith("Fn::") || key.equals("Condition");
  }

  /** Checks function shapes and that every Ref / Fn::Sub variable names a declared parameter. */
  private void checkFunctions(JsonNode node, String where) {
    if (node.isArray()) {
      node.forEach(element -> checkFunctions(element, where));
      return;
    }
    if (!node.isObject()) {
      return;
    }
    if (!isFunction(node)) {
      names(node).forEach(key -> checkFunctions(node.get(key), where + "." + key));
      return;
    }
    String function = node.fieldNames().next();
    JsonNode argument = node.get(function);
    if (!FUNCTIONS.contains(function)) {
      throw RegistryException.invalid(
          where
              + ": unsupported function '"
              + function
              + "' (supported: "
              + String.join(", ", FUNCTIONS.stream().sorted().toList())
              + ")");
    }
    switch (function) {
      case "Ref" -> {
        if (!argument.isTextual()) {
          throw RegistryException.invalid(where + ": Ref needs a parameter name");
        }
        requireParameter(argument.asText(), where);
      }
      case "Fn::Sub" -> {
        JsonNode text = argument.isArray() ? argument.path(0) : argument;
        if (!text.isTextual() || (argument.isArray() && argument.size() != 2)) {
          throw RegistryException.invalid(
              where + ": Fn::Sub needs a string or [string, {variables}]");
        }
        Set<String> local = Set.of();
        if (argument.isArray()) {
          if (!argument.get(1).isObject()) {
            throw RegistryException.invalid(where + ": Fn::Sub variables must be an object");
          }
          local = Set.copyOf(names(argument.get(1)));
          checkFunctions(argument.get(1), where);
        }
        Matcher matcher = SUB_VARIABLE.matcher(text.asText());
        while (matcher.find()) {
          if (!local.contains(matcher.group(1))) {
            requireParameter(matcher.group(1), where);
          }
        }
      }
      default -> {
        int arity =
            switch (function) {
              case "Fn::FindInMap" -> 3;
              default -> 2;
            };
        if (!argument.isArray() || argument.size() != arity) {
          throw RegistryException.invalid(
              where + ": " + function + " needs a list of " + arity + " arguments");
        }
        if (function.equals("Fn::FindInMap")
            && argument.get(0).isTextual()
            && !root.path("Mappings").has(argument.get(0).asText())) {
          throw RegistryException.invalid(
              where + ": Fn::FindInMap names unknown mapping '" + argument.get(0).asText() + "'");
        }
        if (function.equals("Fn::Join")
            && !(argument.get(1).isArray() || isFunction(argument.get(1)))) {
          throw RegistryException.invalid(where + ": Fn::Join needs [delimiter, [values]]");
        }
        checkFunctions(argument, where);
      }
    }
  }

  private void requireParameter(String name, String where) {
    if (!defaults.containsKey(name)) {
      throw RegistryException.invalid(where + ": refers to undeclared parameter '" + name + "'");
    }
  }

  private static List<String> names(JsonNode node) {
    List<String> out = new ArrayList<>();
    node.fieldNames().forEachRemaining(out::add);
    return out;
  }

  /** Resolves intrinsic functions against one device's parameter values. */
  private final class Evaluator {
    private final Map<String, String> values;

    Evaluator(Map<String, String> values) {
      this.values = values;
    }

    JsonNode resolve(JsonNode node, String where) {
      if (node.isArray()) {
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        node.forEach(element -> out.add(resolve(element, where)));
        return out;
      }
      if (!node.isObject()) {
        return node;
      }
      if (!isFunction(node)) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        names(node).forEach(key -> out.set(key, resolve(node.get(key), where + "." + key)));
        return out;
      }
      String function = node.fieldNames().next();
      JsonNode argument = node.get(function);
      return switch (function) {
        case "Ref" -> new TextNode(value(argument.asText(), where));
        case "Fn::Join" -> {
          String delimiter = scalar(resolve(argument.get(0), where), where);
          JsonNode list = resolve(argument.get(1), where);
          List<String> parts = new ArrayList<>();
          list.forEach(part -> parts.add(scalar(part, where)));
          yield new TextNode(String.join(delimiter, parts));
        }
        case "Fn::Split" -> {
          String delimiter = scalar(resolve(argument.get(0), where), where);
          String text = scalar(resolve(argument.get(1), where), where);
          ArrayNode out = JsonNodeFactory.instance.arrayNode();
          if (delimiter.isEmpty()) {
            throw TemplateException.invalidParameters(where + ": Fn::Split delimiter is empty");
          }
          for (String part : text.split(Pattern.quote(delimiter), -1)) {
            out.add(part);
          }
          yield out;
        }
        case "Fn::Select" -> {
          String index = scalar(resolve(argument.get(0), where), where);
          JsonNode list = resolve(argument.get(1), where);
          int at;
          try {
            at = Integer.parseInt(index);
          } catch (NumberFormatException e) {
            throw TemplateException.invalidParameters(
                where + ": Fn::Select index '" + index + "' is not a number");
          }
          if (!list.isArray() || at < 0 || at >= list.size() || list.get(at).isNull()) {
            throw TemplateException.invalidParameters(
                where + ": Fn::Select index " + at + " is out of range");
          }
          yield list.get(at);
        }
        case "Fn::FindInMap" -> {
          String map = scalar(resolve(argument.get(0), where), where);
          String top = scalar(resolve(argument.get(1), where), where);
          String second = scalar(resolve(argument.get(2), where), where);
          JsonNode found = root.path("Mappings").path(map).path(top).path(second);
          if (found.isMissingNode() || found.isNull()) {
            throw TemplateException.invalidParameters(
                where + ": Fn::FindInMap found no value at " + map + "/" + top + "/" + second);
          }
          yield found;
        }
        case "Fn::Sub" -> {
          String text = (argument.isArray() ? argument.get(0) : argument).asText();
          Map<String, String> local = new LinkedHashMap<>();
          if (argument.isArray()) {
            JsonNode variables = argument.get(1);
            for (String key : names(variables)) {
              local.put(key, scalar(resolve(variables.get(key), where), where));
            }
          }
          Matcher matcher = SUB_VARIABLE.matcher(text);
          var out = new StringBuilder();
          while (matcher.find()) {
            String name = matcher.group(1);
            String value = local.containsKey(name) ? local.get(name) : value(name, where);
            matcher.appendReplacement(out, Matcher.quoteReplacement(value));
          }
          matcher.appendTail(out);
          yield new TextNode(out.toString());
        }
        default -> throw new IllegalStateException("unchecked function " + function);
      };
    }

    private String value(String parameter, String where) {
      String value = values.get(parameter);
      if (value == null) {
        throw TemplateException.invalidParameters(
            where + ": parameter '" + parameter + "' was not supplied and has no Default");
      }
      return value;
    }

    private String scalar(JsonNode node, String where) {
      if (!node.isValueNode() || node.isNull()) {
        throw TemplateException.invalidParameters(where + ": expected a string value");
      }
      return node.asText();
    }
  }
}
