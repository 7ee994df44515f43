package io.mamori.hub.registry;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The shape rules for what operators name and send to the registry, as AWS IoT defines them
 * (reference §9.1, §6.1 and the AWS IoT API reference), each refusal an INVALID with the rule.
 */
public final class RegistryRules {
  /** AWS allows 50 attributes on a typed thing (reference §9.1); we apply it to every thing. */
  static final int MAX_ATTRIBUTES = 50;

  /** AWS IoT quota: at most 10 policies attached to one certificate. */
  static final int MAX_POLICIES_PER_CERTIFICATE = 10;

  /** AWS IoT quota: a policy document holds at most 2048 characters, white space excluded. */
  static final int MAX_POLICY_CHARACTERS = 2048;

  /** Bound on the raw text, white space included, so that parsing stays cheap. */
  static final int MAX_POLICY_BYTES = 32 * 1024;

  private static final Pattern THING_NAME = Pattern.compile("[a-zA-Z0-9:_-]{1,128}");
  private static final Pattern POLICY_NAME = Pattern.compile("[\\w+=,.@-]{1,128}");
  private static final Pattern ATTRIBUTE_NAME = Pattern.compile("[a-zA-Z0-9_.,@/:#-]{1,128}");
  // No '*', '?', '$', '{' or spaces: attribute values are substituted into policy resources by
  // ${iot:Connection.Thing.Attributes[k]}, and a value must never widen a policy into a wildcard.
  private static final Pattern ATTRIBUTE_VALUE =
      Pattern.compile("[a-zA-Z0-9_.,@/:#=\\[\\]-]{0,800}");
  private static final Pattern CERTIFICATE_ID = Pattern.compile("[0-9a-f]{64}");

  private RegistryRules() {}

  /** A webhook the hub POSTs to: an absolute http:// or https:// URL with a host. */
  public static String webhookUrl(String url, String what) {
    java.net.URI uri;
    try {
      uri = new java.net.URI(url);
    } catch (java.net.URISyntaxException e) {
      throw RegistryException.invalid(what + " is not a URL: " + e.getMessage());
    }
    if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))
        || uri.getHost() == null) {
      throw RegistryException.invalid(what + " must be an http:// or https:// URL with a host");
    }
    return url;
  }

  public static String thingName(String name) {
    return require(
        name, THING_NAME, "thing name must be 1-128 characters of a-z, A-Z, 0-9, ':', '_', '-'");
  }

  public static String thingTypeName(String name) {
    return require(
        name,
        THING_NAME,
        "thing type name must be 1-128 characters of a-z, A-Z, 0-9, ':', '_', '-'");
  }

  public static String policyName(String name) {
    return require(
        name,
        POLICY_NAME,
        "policy name must be 1-128 characters of letters, digits, '_', '+', '=', ',', '.', '@',"
            + " '-'");
  }

  static String certificateId(String id) {
    return require(
        id,
        CERTIFICATE_ID,
        "certificate id must be 64 lowercase hex characters (the SHA-256 of the certificate)");
  }

  /**
   * Checks attribute names and values; an empty value is allowed (it means "remove" in an update).
   * Returns a copy in the caller's order.
   */
  public static Map<String, String> attributes(Map<String, String> attributes) {
    if (attributes == null) {
      throw RegistryException.invalid("attributes must not be null");
    }
    var checked = new LinkedHashMap<String, String>();
    attributes.forEach(
        (name, value) -> {
          require(
              name,
              ATTRIBUTE_NAME,
              "attribute name must be 1-128 characters of a-z, A-Z, 0-9 and _ . , @ / : # -");
          require(
              value,
              ATTRIBUTE_VALUE,
              "value of attribute "
                  + name
                  + " must be at most 800 characters of a-z, A-Z, 0-9 and _ . , @ / : # = [ ] -");
          checked.put(name, value);
        });
    return checked;
  }

  public static void attributeCount(Map<String, String> attributes) {
    if (attributes.size() > MAX_ATTRIBUTES) {
      throw RegistryException.invalid(
          "a thing can have at most " + MAX_ATTRIBUTES + " attributes, got " + attributes.size());
    }
  }

  /** Size limits of a policy document; its grammar is the policy parser's business. */
  static String policyDocumentSize(String document) {
    if (document == null || document.isBlank()) {
      throw RegistryException.invalid("policy document is invalid: it is empty");
    }
    if (document.length() > MAX_POLICY_BYTES) {
      throw RegistryException.invalid(
          "policy document is invalid: longer than " + MAX_POLICY_BYTES + " characters");
    }
    long significant = document.codePoints().filter(c -> !Character.isWhitespace(c)).count();
    if (significant > MAX_POLICY_CHARACTERS) {
      throw RegistryException.invalid(
          "policy document is invalid: "
              + significant
              + " characters without white space, AWS IoT allows "
              + MAX_POLICY_CHARACTERS);
    }
    return document;
  }

  private static String require(String value, Pattern pattern, String rule) {
    if (value == null) {
      throw RegistryException.invalid(rule + "; got nothing");
    }
    if (!pattern.matcher(value).matches()) {
      throw RegistryException.invalid(rule + "; got " + shown(value));
    }
    return value;
  }

  /** The offending value, quoted and shortened, so that a refusal says what was wrong. */
  private static String shown(String value) {
    String shortened = value.length() > 64 ? value.substring(0, 64) + "..." : value;
    return '"' + shortened.replaceAll("\\p{Cntrl}", "?") + '"';
  }
}
