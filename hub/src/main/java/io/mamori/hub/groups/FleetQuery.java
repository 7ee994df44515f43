package io.mamori.hub.groups;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A fleet-indexing query (reference §9.4, the subset dynamic groups need): {@code field:value} with
 * {@code *} / {@code ?} wildcards and quoted phrases, ranges {@code [a TO b]} / {@code {a TO b}},
 * comparisons {@code < <= > >=}, {@code AND} / {@code OR} / {@code NOT} / {@code -term},
 * parentheses, and AND as the default operator. As in AWS: field names are case-sensitive, values
 * are not; no leading wildcard except {@code *} alone; at most {@value #MAX_TERMS} terms. A query
 * that does not parse is a {@link QueryException} naming the position.
 */
public final class FleetQuery {
  /** AWS fleet indexing allows at most 7 terms in a query. */
  static final int MAX_TERMS = 7;

  static final int MAX_LENGTH = 1024;

  private final String text;
  private final Query root;
  private final boolean readsGroups;

  private FleetQuery(String text, Query root, boolean readsGroups) {
    this.text = text;
    this.root = root;
    this.readsGroups = readsGroups;
  }

  public static FleetQuery parse(String text) {
    if (text == null || text.isBlank()) {
      throw new QueryException("", 0, "the query is empty");
    }
    if (text.length() > MAX_LENGTH) {
      throw new QueryException(
          "", MAX_LENGTH, "the query is longer than " + MAX_LENGTH + " characters");
    }
    Parser parser = new Parser(text);
    Query root = parser.query();
    return new FleetQuery(text, root, parser.readsGroups);
  }

  /** Whether the query names {@code thingGroupNames}, so static membership changes matter. */
  public boolean readsGroups() {
    return readsGroups;
  }

  public String text() {
    return text;
  }

  public boolean matches(IndexedThing thing) {
    return root.matches(thing);
  }

  /** Recursive descent over the raw text; the position of each token is kept for errors. */
  private static final class Parser {
    private static final String SPECIAL = "()[]{}\":<>";
    private final String text;
    private int at;
    private int terms;
    private boolean readsGroups;

    Parser(String text) {
      this.text = text;
    }

    Query query() {
      Query query = or();
      skipSpace();
      if (at < text.length()) {
        throw error(at, "unexpected '" + text.charAt(at) + "'");
      }
      return query;
    }

    private Query or() {
      List<Query> parts = new ArrayList<>(List.of(and()));
      while (keyword("OR")) {
        parts.add(and());
      }
      return parts.size() == 1 ? parts.get(0) : new Query.Or(parts);
    }

    private Query and() {
      List<Query> parts = new ArrayList<>(List.of(not()));
      while (true) {
        if (keyword("AND")) {
          parts.add(not());
          continue;
        }
        skipSpace();
        // Default operator AND: another term follows without an operator.
        if (at < text.length() && text.charAt(at) != ')' && !peekKeyword("OR")) {
          parts.add(not());
          continue;
        }
        return parts.size() == 1 ? parts.get(0) : new Query.And(parts);
      }
    }

    private Query not() {
      skipSpace();
      if (keyword("NOT")) {
        return new Query.Not(not());
      }
      if (at < text.length() && text.charAt(at) == '-') {
        at++;
        return new Query.Not(not());
      }
      return primary();
    }

    private Query primary() {
      skipSpace();
      if (at >= text.length()) {
        throw error(at, "a term is missing at the end");
      }
      char c = text.charAt(at);
      if (c == '(') {
        int open = at++;
        Query inner = or();
        skipSpace();
        if (at >= text.length() || text.charAt(at) != ')') {
          throw error(open, "'(' is never closed");
        }
        at++;
        return inner;
      }
      return term();
    }

    private Query term() {
      int start = at;
      String name = fieldName();
      if (name.isEmpty()) {
        throw error(start, "expected a field name, found '" + text.charAt(at) + "'");
      }
      if (name.equals("AND") || name.equals("OR") || name.equals("TO")) {
        throw error(start, "'" + name + "' needs a term before it");
      }
      QueryField field =
          QueryField.parse(name)
              .orElseThrow(
                  () -> error(start, "unknown field '" + name + "'; known: " + QueryField.KNOWN));
      readsGroups |= field.kind() == QueryField.Kind.THING_GROUP_NAMES;
      if (++terms > MAX_TERMS) {
        throw error(start, "more than " + MAX_TERMS + " terms (the AWS limit)");
      }
      if (at >= text.length()) {
        throw error(at, "expected ':' or a comparison after '" + name + "'");
      }
      char operator = text.charAt(at);
      if (operator == '<' || operator == '>') {
        at++;
        boolean inclusive = at < text.length() && text.charAt(at) == '=';
        if (inclusive) {
          at++;
        }
        String bound = value(false);
        return operator == '<'
            ? new Query.Range(field, "*", true, bound, inclusive)
            : new Query.Range(field, bound, inclusive, "*", true);
      }
      if (operator != ':') {
        throw error(at, "expected ':' or a comparison after '" + name + "'");
      }
      at++;
      if (at < text.length() && (text.charAt(at) == '[' || text.charAt(at) == '{')) {
        return range(field);
      }
      int valueStart = at;
      boolean quoted = at < text.length() && text.charAt(at) == '"';
      String value = value(true);
      return new Query.Term(field, value, pattern(value, quoted, valueStart));
    }

    private Query range(QueryField field) {
      int open = at;
      boolean lowInclusive = text.charAt(at++) == '[';
      skipSpace();
      String low = value(false);
      if (!keyword("TO")) {
        throw error(at, "expected 'TO' in the range that starts at character " + (open + 1));
      }
      skipSpace();
      String high = value(false);
      skipSpace();
      if (at >= text.length() || (text.charAt(at) != ']' && text.charAt(at) != '}')) {
        throw error(at, "expected ']' or '}' to close the range");
      }
      boolean highInclusive = text.charAt(at++) == ']';
      return new Query.Range(field, low, lowInclusive, high, highInclusive);
    }

    /** A field name: letters, digits and {@code . _ - @ / #} up to ':' '<' '>' or a space. */
    private String fieldName() {
      int start = at;
      while (at < text.length()
          && !Character.isWhitespace(text.charAt(at))
          && SPECIAL.indexOf(text.charAt(at)) < 0) {
        at++;
      }
      return text.substring(start, at);
    }

    /**
     * A value: a quoted phrase, or a word up to white space or a bracket; {@code \} escapes the
     * next character. Wildcards stay in the returned text and are compiled by {@link #pattern}.
     */
    private String value(boolean wildcards) {
      int start = at;
      if (at < text.length() && text.charAt(at) == '"') {
        int close = text.indexOf('"', at + 1);
        if (close < 0) {
          throw error(start, "the quoted phrase is never closed");
        }
        at = close + 1;
        return text.substring(start + 1, close);
      }
      StringBuilder word = new StringBuilder();
      while (at < text.length()) {
        char c = text.charAt(at);
        if (Character.isWhitespace(c) || "()[]{}\"".indexOf(c) >= 0) {
          break;
        }
        if (c == '\\' && at + 1 < text.length()) {
          word.append(c);
          c = text.charAt(++at);
        } else if (!wildcards && (c == '?' || (c == '*' && at > start))) {
          throw error(at, "wildcards are not allowed in a range or comparison");
        }
        word.append(c);
        at++;
      }
      if (word.length() == 0) {
        throw error(start, "a value is missing");
      }
      return word.toString();
    }

    /** Compiles a value with wildcards into a case-insensitive pattern. */
    private Pattern pattern(String value, boolean quoted, int start) {
      if (quoted) {
        return Pattern.compile(Pattern.quote(value), Pattern.CASE_INSENSITIVE);
      }
      if (value.length() > 1 && (value.charAt(0) == '*' || value.charAt(0) == '?')) {
        throw error(start, "a value may not start with a wildcard (only '*' alone)");
      }
      StringBuilder regex = new StringBuilder();
      for (int i = 0; i < value.length(); i++) {
        char c = value.charAt(i);
        if (c == '\\' && i + 1 < value.length()) {
          regex.append(Pattern.quote(String.valueOf(value.charAt(++i))));
        } else if (c == '*') {
          regex.append(".*");
        } else if (c == '?') {
          regex.append('.');
        } else {
          regex.append(Pattern.quote(String.valueOf(c)));
        }
      }
      return Pattern.compile(
          regex.toString(), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.DOTALL);
    }

    private boolean keyword(String word) {
      skipSpace();
      if (peekKeyword(word)) {
        at += word.length();
        return true;
      }
      return false;
    }

    /** The keyword stands alone: followed by white space, '(' or the end (not part of a field). */
    private boolean peekKeyword(String word) {
      if (!text.startsWith(word, at)) {
        return false;
      }
      int end = at + word.length();
      return end == text.length()
          || Character.isWhitespace(text.charAt(end))
          || text.charAt(end) == '(';
    }

    private void skipSpace() {
      while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
        at++;
      }
    }

    private QueryException error(int offset, String problem) {
      return new QueryException(text, offset, problem);
    }
  }
}
