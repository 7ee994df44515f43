package io.mamori.hub.policy;

import java.util.Arrays;
import java.util.Optional;

/**
 * The IAM condition operators Mamori evaluates (reference §5.1), without set prefix or IfExists.
 */
public enum ConditionOperator {
  STRING_EQUALS("StringEquals", Family.STRING, false, false, false),
  STRING_NOT_EQUALS("StringNotEquals", Family.STRING, true, false, false),
  STRING_EQUALS_IGNORE_CASE("StringEqualsIgnoreCase", Family.STRING, false, true, false),
  STRING_NOT_EQUALS_IGNORE_CASE("StringNotEqualsIgnoreCase", Family.STRING, true, true, false),
  STRING_LIKE("StringLike", Family.STRING, false, false, true),
  STRING_NOT_LIKE("StringNotLike", Family.STRING, true, false, true),
  // IAM: ArnEquals and ArnLike both accept * and ? (case-sensitive).
  ARN_EQUALS("ArnEquals", Family.STRING, false, false, true),
  ARN_LIKE("ArnLike", Family.STRING, false, false, true),
  ARN_NOT_EQUALS("ArnNotEquals", Family.STRING, true, false, true),
  ARN_NOT_LIKE("ArnNotLike", Family.STRING, true, false, true),
  BOOL("Bool", Family.BOOL, false, false, false),
  IP_ADDRESS("IpAddress", Family.IP, false, false, false),
  NOT_IP_ADDRESS("NotIpAddress", Family.IP, true, false, false),
  NULL("Null", Family.NULL, false, false, false);

  /** How the operator compares a context value with the policy's values. */
  enum Family {
    STRING,
    BOOL,
    IP,
    NULL
  }

  private final String jsonName;
  final Family family;
  final boolean negated;
  final boolean ignoreCase;
  final boolean wildcards;

  ConditionOperator(
      String jsonName, Family family, boolean negated, boolean ignoreCase, boolean wildcards) {
    this.jsonName = jsonName;
    this.family = family;
    this.negated = negated;
    this.ignoreCase = ignoreCase;
    this.wildcards = wildcards;
  }

  /** The name as written in a policy, e.g. {@code StringEquals}. */
  public String jsonName() {
    return jsonName;
  }

  static Optional<ConditionOperator> byJsonName(String name) {
    return Arrays.stream(values()).filter(op -> op.jsonName.equals(name)).findFirst();
  }
}
