package io.mamori.hub.api;

import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of a {@link PolicyTester} run: the decision and the statement that made it.
 *
 * @param allowed true only for {@link #ALLOW}
 * @param decision {@link #ALLOW}, {@link #EXPLICIT_DENY} or {@link #IMPLICIT_DENY}
 * @param policyName the policy whose statement decided; empty for an implicit deny
 * @param statementIndex zero-based index of that statement in the policy's Statement list
 * @param resource the resource as evaluated: a full ARN
 * @param explanation one human sentence, with policy variables already resolved
 */
public record PolicyTestResult(
    boolean allowed,
    String decision,
    Optional<String> policyName,
    Optional<Integer> statementIndex,
    String resource,
    String explanation) {

  public static final String ALLOW = "allow";
  public static final String EXPLICIT_DENY = "explicit-deny";
  public static final String IMPLICIT_DENY = "implicit-deny";

  public PolicyTestResult {
    Objects.requireNonNull(decision, "decision");
    Objects.requireNonNull(policyName, "policyName");
    Objects.requireNonNull(statementIndex, "statementIndex");
    Objects.requireNonNull(resource, "resource");
    Objects.requireNonNull(explanation, "explanation");
    if (!decision.equals(ALLOW)
        && !decision.equals(EXPLICIT_DENY)
        && !decision.equals(IMPLICIT_DENY)) {
      throw new IllegalArgumentException("unknown decision " + decision);
    }
    if (allowed != ALLOW.equals(decision)) {
      throw new IllegalArgumentException("allowed must be true exactly when decision is allow");
    }
  }
}
