package io.mamori.hub.policy;

import java.util.List;
import java.util.Objects;

/**
 * A parsed and compiled AWS IoT policy document (reference §5). Parse once when the policy is
 * created or loaded; evaluation then needs no further parsing or regex compilation.
 *
 * @param version {@code 2012-10-17}, or {@code 2008-10-17} when the document says so or has no
 *     Version (IAM's default); see {@link #parse} for what the older version may contain
 */
public record PolicyDocument(String version, List<Statement> statements) {

  /** The policy language version that supports policy variables. */
  public static final String VERSION_2012 = "2012-10-17";

  /** IAM's original version, and its default when a document has no Version. */
  public static final String VERSION_2008 = "2008-10-17";

  /**
   * Refuse documents over this many characters. AWS IoT's own quota is 2048 characters per policy
   * version (custom authorizers) or more; 20 KB leaves room for every real document while bounding
   * what the parser and the in-memory policy cache must hold.
   */
  public static final int MAX_LENGTH = 20 * 1024;

  public PolicyDocument {
    Objects.requireNonNull(version, "version");
    statements = List.copyOf(statements);
    if (statements.isEmpty()) {
      throw new IllegalArgumentException("a policy needs at least one statement");
    }
  }

  /**
   * Parses and compiles a policy document. Real AWS IoT documents load unchanged; anything Mamori
   * would not enforce exactly as AWS does is refused instead of ignored: unknown keys, {@code
   * Principal}, operators, condition keys and variables it does not support, wrong JSON types, an
   * empty {@code Statement}, unknown {@code iot:} actions. {@code Version} must be {@code
   * 2012-10-17}; {@code 2008-10-17} (or no Version, which IAM treats as 2008-10-17) is accepted
   * only when the document uses no {@code ${...}}, because under 2008-10-17 AWS does not substitute
   * variables and Mamori will not guess which meaning the author wanted.
   *
   * @throws PolicyParseException naming where and why, e.g. {@code Statement[1].Effect: ...}
   */
  public static PolicyDocument parse(String json) {
    return PolicyParser.parse(json);
  }
}
