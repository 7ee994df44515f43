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

  /** The key of each VARIABLE token (null for others); empty when there are no variables. */
  private final ContextKey[] variables;

  private static final ContextKey[] NO_VARIABLES = {};

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
    return assemble(source, syntax, kinds, literals, variables, display);
  }

  private static Glob assemble(
      String source,
      Syntax syntax,
      List<Byte> kinds,
      List<String> literals,
      List<ContextKey> variables,
      List<String> display) {
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

  /**
   * This pattern with every variable replaced by its value for {@code context}, or {@code null}
   * when one cannot be substituted (§5.4). The result matches exactly what this pattern matches for
   * that context, without looking the values up again: a connection's context is fixed, so its
   * patterns are resolved once and not on every PUBLISH.
   */
  Glob resolve(PolicyContext context) {
    if (!hasVariables) {
      return this;
    }
    List<Byte> outKinds = new ArrayList<>();
    List<String> outLiterals = new ArrayList<>();
    StringBuilder resolved = new StringBuilder(source.length() + 32);
    // Adjacent literals and values merge, so matching compares one run instead of several. A
    // run of one token keeps that token's string: a connection holds many resolved patterns.
    StringBuilder run = new StringBuilder();
    String single = null;
    int runTokens = 0;
    for (int t = 0; t <= kinds.length; t++) {
      // One step past the end, as if at a *, so that the last run is added too.
      byte kind = t < kinds.length ? kinds[t] : STAR;
      if (t < kinds.length && (kind == LITERAL || kind == VARIABLE)) {
        String text = kind == LITERAL ? literals[t] : substitution(variables[t], context);
        if (text == null) {
          return null;
        }
        resolved.append(kind == LITERAL ? display[t] : text);
        run.append(text);
        single = text;
        runTokens++;
        continue;
      }
      if (runTokens > 0) {
        outKinds.add(LITERAL);
        outLiterals.add(runTokens == 1 ? single : run.toString());
        run.setLength(0);
        runTokens = 0;
      }
      if (t < kinds.length) {
        resolved.append(display[t]);
        outKinds.add(kind);
        outLiterals.add(null);
      }
    }
    byte[] kindArray = new byte[outKinds.size()];
    for (int k = 0; k < kindArray.length; k++) {
      kindArray[k] = outKinds.get(k);
    }
    String[] literalArray = outLiterals.toArray(String[]::new);
    // Without variables nothing is looked up or displayed token by token (render returns the
    // source), so the literals serve as display and there is no variable array.
    return new Glob(
        resolved.toString(), syntax, kindArray, literalArray, NO_VARIABLES, literalArray);
  }

  /**
   * Where matching may resume after {@code prefix}: a text {@code x} matches this pattern after
   * {@code prefix} ({@code matches(prefix + x)}) iff {@link #matchesFrom} is true for one of the
   * returned starts. Empty when nothing can follow {@code prefix}. For a broker that always asks
   * about {@code arn:aws:iot:<region>:<account>:topic/} followed by a topic, the ARN part is
   * matched once here instead of on every PUBLISH. Only for patterns without variables (see {@link
   * #resolve}).
   *
   * <p>Computed by running the pattern as a set of positions (one per pattern character, a {@code
   * *} staying where it is) over {@code prefix}; each position left is one start, encoded as {@code
   * token << 32 | offset into that token's literal}.
   */
  long[] startsAfter(String prefix) {
    if (hasVariables) {
      throw new IllegalStateException("resolve the variables of '" + source + "' first");
    }
    int length = programLength();
    int[] accepts = new int[length]; // the character, PROGRAM_STAR or PROGRAM_ANY
    long[] places = new long[length]; // token << 32 | offset
    program(accepts, places);
    boolean[] live = new boolean[length + 1];
    live[0] = true;
    closeOverStars(live, accepts);
    for (int c = 0; c < prefix.length(); c++) {
      char next = prefix.charAt(c);
      boolean[] after = new boolean[live.length];
      boolean any = false;
      for (int j = 0; j < length; j++) {
        if (!live[j]) {
          continue;
        }
        int step = accepts[j];
        if (step == PROGRAM_STAR) {
          after[j] = true;
          any = true;
        } else if (step == PROGRAM_ANY || step == next) {
          after[j + 1] = true;
          any = true;
        }
      }
      if (!any) {
        return new long[0];
      }
      closeOverStars(after, accepts);
      live = after;
    }
    // A live * makes every earlier live position redundant: "P*Q" and "*A*Q" only match texts that
    // "*Q" matches too (the * takes the difference); so does the position right after it, as "*Q"
    // matches whatever "Q" matches.
    int lastStar = -1;
    for (int j = 0; j < length; j++) {
      if (live[j] && accepts[j] == PROGRAM_STAR) {
        lastStar = j;
      }
    }
    List<Long> starts = new ArrayList<>();
    // Latest position first: for an ARN pattern that is the start real topics match (after
    // "topic/"); one left at a * matches only names that spell an ARN tail again.
    for (int j = live.length - 1; j >= Math.max(lastStar, 0); j--) {
      if (live[j] && (lastStar < 0 || j != lastStar + 1)) {
        starts.add(j == length ? (long) kinds.length << 32 : places[j]);
      }
    }
    return starts.stream().mapToLong(Long::longValue).toArray();
  }

  private static final int PROGRAM_STAR = -1;
  private static final int PROGRAM_ANY = -2;

  /** The number of pattern characters: one per literal character, * and ?. */
  private int programLength() {
    int length = 0;
    for (int t = 0; t < kinds.length; t++) {
      length += kinds[t] == LITERAL ? literals[t].length() : 1;
    }
    return length;
  }

  /**
   * Fills, for each pattern character, what it accepts (the character, PROGRAM_STAR or PROGRAM_ANY)
   * and where it is ({@code token << 32 | offset}).
   */
  private void program(int[] accepts, long[] places) {
    int j = 0;
    for (int t = 0; t < kinds.length; t++) {
      long at = (long) t << 32;
      if (kinds[t] == LITERAL) {
        for (int offset = 0; offset < literals[t].length(); offset++, j++) {
          accepts[j] = literals[t].charAt(offset);
          places[j] = at | offset;
        }
      } else {
        accepts[j] = kinds[t] == STAR ? PROGRAM_STAR : PROGRAM_ANY;
        places[j++] = at;
      }
    }
  }

  /** A * may match nothing: the position after a live * is live too. */
  private static void closeOverStars(boolean[] live, int[] accepts) {
    for (int j = 0; j < accepts.length; j++) {
      if (live[j] && accepts[j] == PROGRAM_STAR) {
        live[j + 1] = true;
      }
    }
  }

  /**
   * Matches the whole of {@code text} against the pattern from {@code start} on (one of {@link
   * #startsAfter}), case-sensitively. Allocates nothing.
   */
  boolean matchesFrom(long start, String text) {
    int t = (int) (start >>> 32);
    int offset = (int) start;
    int i = 0;
    if (offset > 0) {
      // Part of this literal was matched by the prefix; the rest must open the text.
      String piece = literals[t];
      int rest = piece.length() - offset;
      if (!text.regionMatches(0, piece, offset, rest)) {
        return false;
      }
      i = rest;
      t++;
    }
    return matchFrom(t, i, "", text, null, false);
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
    return matchFrom(0, 0, head, tail, context, ignoreCase);
  }

  /** Matches {@code head + tail} from its offset {@code i} against tokens {@code t} on. */
  private boolean matchFrom(
      int t, int i, String head, String tail, PolicyContext context, boolean ignoreCase) {
    int end = head.length() + tail.length();
    // With the text in one string, a * followed by literal text jumps to where that text occurs
    // next (String.indexOf) instead of trying every position: same positions tried, same answer.
    boolean jump = head.isEmpty() && !ignoreCase;
    int starToken = -1;
    int starText = -1;
    while (true) {
      if (t < kinds.length) {
        byte kind = kinds[t];
        if (kind == STAR) {
          if (t == kinds.length - 1) {
            return true; // a trailing * takes whatever is left
          }
          starToken = t++;
          starText = jump && kinds[t] == LITERAL ? tail.indexOf(literals[t], i) : i;
          if (starText < 0) {
            return false;
          }
          i = starText;
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
      t = starToken + 1;
      starText =
          jump && kinds[t] == LITERAL ? tail.indexOf(literals[t], starText + 1) : starText + 1;
      if (starText < 0) {
        return false;
      }
      i = starText;
    }
  }

  private static boolean regionMatches(
      String head, String tail, int from, int end, String piece, boolean ignoreCase) {
    int length = piece.length();
    if (from + length > end) {
      return false;
    }
    int headLength = head.length();
    if (from >= headLength) {
      return tail.regionMatches(ignoreCase, from - headLength, piece, 0, length);
    }
    if (from + length <= headLength) {
      return head.regionMatches(ignoreCase, from, piece, 0, length);
    }
    int inHead = headLength - from;
    return head.regionMatches(ignoreCase, from, piece, 0, inHead)
        && tail.regionMatches(ignoreCase, 0, piece, inHead, length - inHead);
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
