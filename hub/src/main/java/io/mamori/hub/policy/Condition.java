package io.mamori.hub.policy;

import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * One test of a statement's Condition block: an operator applied to one condition key and its
 * values. IAM rules (reference §5.1): the values of one key are ORed; the tests of a block are
 * ANDed by {@link Statement}.
 */
public final class Condition {

  /** The IAM set operator prefix for multi-valued keys. */
  public enum SetQualifier {
    NONE(""),
    FOR_ALL_VALUES("ForAllValues:"),
    FOR_ANY_VALUE("ForAnyValue:");

    private final String prefix;

    SetQualifier(String prefix) {
      this.prefix = prefix;
    }

    /** The prefix as written, e.g. {@code ForAnyValue:}, or an empty string. */
    public String prefix() {
      return prefix;
    }
  }

  private final ConditionOperator operator;
  private final SetQualifier qualifier;
  private final boolean ifExists;
  private final ContextKey key;
  private final List<String> values;
  private final List<Glob> patterns;
  private final List<IpRange> ranges;
  private final boolean expected;

  private Condition(
      ConditionOperator operator,
      SetQualifier qualifier,
      boolean ifExists,
      ContextKey key,
      List<String> values,
      List<Glob> patterns,
      List<IpRange> ranges,
      boolean expected) {
    this.operator = operator;
    this.qualifier = qualifier;
    this.ifExists = ifExists;
    this.key = key;
    this.values = List.copyOf(values);
    this.patterns = List.copyOf(patterns);
    this.ranges = List.copyOf(ranges);
    this.expected = expected;
  }

  /**
   * Compiles one operator/key/values triple; validation errors are {@link
   * IllegalArgumentException}s whose message the parser prefixes with the location.
   */
  static Condition compile(
      ConditionOperator operator,
      SetQualifier qualifier,
      boolean ifExists,
      ContextKey key,
      List<String> values) {
    if (values.isEmpty()) {
      throw new IllegalArgumentException("needs at least one value");
    }
    if (key.multiValued() && qualifier == SetQualifier.NONE && operator != ConditionOperator.NULL) {
      // IAM leaves a plain operator on a multi-valued key ill-defined; make the author say which.
      throw new IllegalArgumentException(
          "'" + key.name() + "' has several values: use ForAllValues: or ForAnyValue:");
    }
    List<Glob> patterns = List.of();
    List<IpRange> ranges = List.of();
    boolean expected = false;
    switch (operator.family) {
      case STRING -> {
        Glob.Syntax syntax =
            operator.wildcards ? Glob.Syntax.CONDITION_PATTERN : Glob.Syntax.CONDITION_LITERAL;
        patterns = values.stream().map(v -> Glob.compile(v, syntax)).toList();
      }
      case BOOL, NULL -> {
        if (values.size() != 1) {
          throw new IllegalArgumentException("takes exactly one value, \"true\" or \"false\"");
        }
        expected = parseBoolean(values.get(0));
        if (operator == ConditionOperator.NULL && qualifier != SetQualifier.NONE) {
          throw new IllegalArgumentException("Null cannot take ForAllValues:/ForAnyValue:");
        }
      }
      case IP -> {
        if (!(key instanceof ContextKey.SourceIp)) {
          throw new IllegalArgumentException(
              operator.jsonName() + " applies only to aws:SourceIp, not '" + key.name() + "'");
        }
        ranges = values.stream().map(IpRange::parse).toList();
      }
    }
    if (operator == ConditionOperator.NULL && ifExists) {
      throw new IllegalArgumentException("NullIfExists is not an IAM operator");
    }
    return new Condition(operator, qualifier, ifExists, key, values, patterns, ranges, expected);
  }

  private static boolean parseBoolean(String value) {
    if (value.equalsIgnoreCase("true")) {
      return true;
    }
    if (value.equalsIgnoreCase("false")) {
      return false;
    }
    throw new IllegalArgumentException("value '" + value + "' is not \"true\" or \"false\"");
  }

  /** The operator without prefix and suffix. */
  public ConditionOperator operator() {
    return operator;
  }

  public SetQualifier qualifier() {
    return qualifier;
  }

  /** True when written with the {@code IfExists} suffix: an absent key satisfies the test. */
  public boolean ifExists() {
    return ifExists;
  }

  /** The operator as written, e.g. {@code ForAnyValue:StringLikeIfExists}. */
  public String operatorText() {
    return qualifier.prefix() + operator.jsonName() + (ifExists ? "IfExists" : "");
  }

  /** The condition key as written, e.g. {@code iot:Connection.Thing.IsAttached}. */
  public String key() {
    return key.name();
  }

  /** The values as written (variables unresolved). */
  public List<String> values() {
    return values;
  }

  List<Glob> patterns() {
    return patterns;
  }

  /** True when the test holds for this context. Variables must already be known resolvable. */
  boolean holds(PolicyContext context) {
    if (operator == ConditionOperator.NULL) {
      boolean absent =
          key.multiValued() ? key.values(context).isEmpty() : key.value(context) == null;
      return absent == expected;
    }
    if (!key.multiValued()) {
      String value = key.value(context);
      if (value == null) {
        return absentResult();
      }
      return operator.negated != matchesAny(value, context);
    }
    Collection<String> all = key.values(context);
    if (all.isEmpty()) {
      return absentResult();
    }
    // IAM set operators; a negated operator tests "matches none of the policy values".
    if (qualifier == SetQualifier.FOR_ALL_VALUES) {
      for (String value : all) {
        if (operator.negated == matchesAny(value, context)) {
          return false;
        }
      }
      return true;
    }
    for (String value : all) {
      if (operator.negated != matchesAny(value, context)) {
        return true;
      }
    }
    return false;
  }

  /**
   * IAM: an absent key fails a positive test and passes a negated one; {@code IfExists} passes;
   * {@code ForAllValues} over no values is vacuously true, {@code ForAnyValue} false.
   */
  private boolean absentResult() {
    if (ifExists) {
      return true;
    }
    return switch (qualifier) {
      case FOR_ALL_VALUES -> true;
      case FOR_ANY_VALUE -> false;
      case NONE -> operator.negated;
    };
  }

  private boolean matchesAny(String value, PolicyContext context) {
    switch (operator.family) {
      case STRING:
        for (Glob pattern : patterns) {
          if (pattern.matches(value, context, operator.ignoreCase)) {
            return true;
          }
        }
        return false;
      case BOOL:
        return value.equalsIgnoreCase(expected ? "true" : "false");
      case IP:
        byte[] address = IpRange.parseAddress(value);
        if (address != null) {
          for (IpRange range : ranges) {
            if (range.contains(address)) {
              return true;
            }
          }
        }
        return false;
      default:
        throw new IllegalStateException("Null is handled in holds()");
    }
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Condition c
        && c.operator == operator
        && c.qualifier == qualifier
        && c.ifExists == ifExists
        && c.key.equals(key)
        && c.values.equals(values);
  }

  @Override
  public int hashCode() {
    return Objects.hash(operator, qualifier, ifExists, key, values);
  }

  @Override
  public String toString() {
    return operatorText() + " " + key.name() + " " + values;
  }
}
