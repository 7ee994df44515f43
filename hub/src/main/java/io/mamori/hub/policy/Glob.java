package io.mamori.hub.policy;

import java.util.ArrayList;
import java.util.List;

/**
 * A policy string compiled once at parse time: literal text, IAM wildcards ({@code *} any sequence,
 * crossing {@code /} and {@code :}; {@code ?} one character) and policy variables. MQTT {@code +}
 * and {@code #} are ordinary characters here (reference §5.3). Matching uses no regex and allocates
 * nothing, because it runs on the event loop for every PUBLISH.
 */
public final class Glob {

  /** §5.4: substituted values longer than this are not substituted. */
  static final int MAX_SUBSTITUTION_LENGTH = 1024;

  /** §5.4: values containing any of these characters are not substituted. */
  private static final String UNSAFE_IN_SUBSTITUTION = "*$+?#";

  private static final byte LITERAL = 0;
  private static final byte STAR = 1;
  private static final byte ANY_CHAR = 2;
  private static final byte VARIABLE = 3;

  private final String source;
  private final byte[] kinds;
  private final String[] literals;
  private final ContextKey[] variables;

  /** How each token is shown when rendering: escapes stay escaped, variables are replaced. */
  private final String[] display;

  private final boolean hasVariables;
  private final Syntax syntax;

  private Glob(
      String source,
      Syntax syntax,
      byte[] kinds,
      String[] literals,
      ContextKey[] variables,
      String[] display) {
    this.source = source;
    this.syntax = syntax;
    this.kinds = kinds;
    this.literals = literals;
    this.variables = variables;
    this.display = display;
    boolean any = false;
    for (byte kind : kinds) {
      any |= kind == VARIABLE;
    }
    this.hasVariables = any;
  }

  /** Which constructs a compiled string may contain. */
  enum Syntax {
    /** Action names: wildcards, no variables. */
    ACTION(true, false, false),
    /** Resource ARNs: wildcards and variables that may appear in a Resource. */
    RESOURCE(true, true, false),
    /** Condition values of *Like and Arn* operators: wildcards and any single-valued variable. */
    CONDITION_PATTERN(true, true, true),
    /** Condition values of *Equals operators: no wildcards, any single-valued variable. */
    CONDITION_LITERAL(false, true, true);

    final boolean wildcards;
    final boolean variables;
    final boolean conditionOnlyVariables;

    Syntax(boolean wildcards, boolean variables, boolean conditionOnlyVariables) {
      this.wildcards = wildcards;
      this.variables = variables;
      this.conditionOnlyVariables = conditionOnlyVariables;
    }
  }

  /**
   * Compiles {@code source}.
   *
   * @throws IllegalArgumentException with the reason when it uses something {@code syntax} forbids
   */
  static Glob compile(String source, Syntax syntax) {
    List<Byte> kinds = new ArrayList<>();
    List<String> literals = new ArrayList<>();
    List<ContextKey> variables = new ArrayList<>();
    List<String> display = new ArrayList<>();
    StringBuilder run = new StringBuilder();
    int i = 0;
    while (i < source.length()) {
      char c = source.charAt(i);
      if (c == '$' && i + 1 < source.length() && source.charAt(i + 1) == '{') {
        int close = source.indexOf('}', i + 2);
        if (close < 0) {
          throw new IllegalArgumentException(
              "unterminated '${' at offset " + i + " in '" + source + "'");
        }
        String inner = source.substring(i + 2, close);
        String written = source.substring(i, close + 1);
        flush(run, kinds, literals, variables, display);
        if (inner.equals("*") || inner.equals("?") || inner.equals("$")) {
          // §5.3: ${*}, ${?} and ${$} stand for the literal character.
          add(kinds, literals, variables, display, LITERAL, inner, null, written);
        } else {
          add(
              kinds,
              literals,
              variables,
              display,
              VARIABLE,
              null,
              variable(inner, syntax),
              written);
        }
        i = close + 1;
        continue;
      }
      if (syntax.wildcards && (c == '*' || c == '?')) {
        flush(run, kinds, literals, variables, display);
        add(kinds, literals, variables, display, c == '*' ? STAR : ANY_CHAR, null, null, "" + c);
      } else {
        run.append(c);
      }
      i++;
    }
    flush(run, kinds, literals, variables, display);
    byte[] kindArray = new byte[kinds.size()];
    for (int k = 0; k < kindArray.length; k++) {
      kindArray[k] = kinds.get(k);
    }
    return new Glob(
        source,
        syntax,
        kindArray,
        literals.toArray(String[]::new),
        variables.toArray(ContextKey[]::new),
        display.toArray(String[]::new));
  }

  private static ContextKey variable(String inner, Syntax syntax) {
    if (!syntax.variables) {
      throw new IllegalArgumentException(
          "policy variables are not allowed here: '${" + inner + "}'");
    }
    ContextKey key;
    try {
      key = ContextKey.parse(inner);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "unknown policy variable '${" + inner + "}': " + e.getMessage(), e);
    }
    if (key.multiValued()) {
      throw new IllegalArgumentException(
          "'${" + inner + "}' has several values and can only be a condition key");
    }
    if (!syntax.conditionOnlyVariables && !key.allowedInResource()) {
      throw new IllegalArgumentException(
          "'${" + inner + "}' can only be used in a Condition (reference §5.4)");
    }
    return key;
  }

  private static void flush(
      StringBuilder run,
      List<Byte> kinds,
      List<String> literals,
      List<ContextKey> variables,
      List<String> display) {
    if (run.length() > 0) {
      add(kinds, literals, variables, display, LITERAL, run.toString(), null, run.toString());
      run.setLength(0);
    }
  }

  private static void add(
      List<Byte> kinds,
      List<String> literals,
      List<ContextKey> variables,
      List<String> display,
      byte kind,
      String literal,
      ContextKey variable,
      String shown) {
    kinds.add(kind);
    literals.add(literal);
    variables.add(variable);
    display.add(shown);
  }

  /** The text as written in the policy. */
  public String source() {
    return source;
  }

  boolean hasVariables() {
    return hasVariables;
  }

  /** True when every variable in this pattern can be substituted for this context (§5.4). */
  boolean variablesResolvable(PolicyContext context) {
    if (hasVariables) {
      for (int t = 0; t < kinds.length; t++) {
        if (kinds[t] == VARIABLE && substitution(variables[t], context) == null) {
          return false;
        }
      }
    }
    return true;
  }

  /** The first variable that cannot be substituted, for explanations. */
  String firstUnresolvable(PolicyContext context) {
    for (int t = 0; t < kinds.length; t++) {
      if (kinds[t] == VARIABLE && substitution(variables[t], context) == null) {
        return display[t];
      }
    }
    return null;
  }

  /**
   * The value substituted for {@code key}, or {@code null} when there is none. §5.4: values longer
   * than 1024 characters or containing {@code * $ + ? #} are not substituted, so a client id of
   * {@code +} cannot widen {@code topicfilter/my/${iot:ClientId}/topic} (the danger §5.3 warns
   * about).
   */
  static String substitution(ContextKey key, PolicyContext context) {
    String value = key.value(context);
    if (value == null || value.length() > MAX_SUBSTITUTION_LENGTH) {
      return null;
    }
    for (int i = 0; i < value.length(); i++) {
      if (UNSAFE_IN_SUBSTITUTION.indexOf(value.charAt(i)) >= 0) {
        return null;
      }
    }
    return value;
  }

  /** Matches the whole of {@code text}. */
  boolean matches(String text, PolicyContext context, boolean ignoreCase) {
    return matches("", text, context, ignoreCase);
  }

  /**
   * Matches the whole of {@code head + tail} without building the concatenation. Greedy matching
   * with one backtrack point (the last {@code *}) is exact for patterns of {@code *} and {@code ?}
   * and runs in O(pattern x text) at worst, so hostile topics cannot make it explode.
   */
  boolean matches(String head, String tail, PolicyContext context, boolean ignoreCase) {
    int end = head.length() + tail.length();
    int t = 0;
    int i = 0;
    int starToken = -1;
    int starText = -1;
    while (true) {
      if (t < kinds.length) {
        byte kind = kinds[t];
        if (kind == STAR) {
          starToken = t++;
          starText = i;
          continue;
        }
        if (kind == ANY_CHAR) {
          if (i < end) {
            i++;
            t++;
            continue;
          }
        } else {
          String piece = kind == LITERAL ? literals[t] : substitution(variables[t], context);
          if (piece == null) {
            return false;
          }
          if (regionMatches(head, tail, i, end, piece, ignoreCase)) {
            i += piece.length();
            t++;
            continue;
          }
        }
      } else if (i == end) {
        return true;
      }
      if (starToken < 0 || starText >= end) {
        return false;
      }
      i = ++starText;
      t = starToken + 1;
    }
  }

  private static boolean regionMatches(
      String head, String tail, int from, int end, String piece, boolean ignoreCase) {
    int length = piece.length();
    if (from + length > end) {
      return false;
    }
    int headLength = head.length();
    for (int k = 0; k < length; k++) {
      int at = from + k;
      char c = at < headLength ? head.charAt(at) : tail.charAt(at - headLength);
      char p = piece.charAt(k);
      if (c != p && !(ignoreCase && equalIgnoringCase(c, p))) {
        return false;
      }
    }
    return true;
  }

  private static boolean equalIgnoringCase(char a, char b) {
    return Character.toUpperCase(a) == Character.toUpperCase(b)
        || Character.toLowerCase(a) == Character.toLowerCase(b);
  }

  /** The pattern as written, with each variable replaced by its value for this context. */
  String render(PolicyContext context) {
    if (!hasVariables) {
      return source;
    }
    StringBuilder out = new StringBuilder(source.length() + 32);
    for (int t = 0; t < kinds.length; t++) {
      String value = kinds[t] == VARIABLE ? substitution(variables[t], context) : null;
      out.append(value != null ? value : display[t]);
    }
    return out.toString();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Glob glob && glob.source.equals(source) && glob.syntax == syntax;
  }

  @Override
  public int hashCode() {
    return source.hashCode() * 31 + syntax.hashCode();
  }

  @Override
  public String toString() {
    return source;
  }
}
