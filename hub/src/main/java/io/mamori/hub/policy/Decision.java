package io.mamori.hub.policy;

/**
 * The answer of {@link PolicyEvaluator}: allowed by a statement, denied by a statement, or denied
 * because nothing allowed it (reference §5.1). Statement indexes count from 0, as the positions in
 * the document's {@code Statement} array and as in {@link PolicyParseException} messages.
 */
public sealed interface Decision {

  boolean allowed();

  /** One line for logs and {@code mamori policy test}, with variables resolved. */
  String explanation();

  /**
   * Allowed by statement {@code statementIndex} of policy {@code policyName}.
   *
   * @param matchedResource the statement's resource with variables resolved (for a NotResource
   *     statement: the requested ARN)
   */
  record Allow(String policyName, int statementIndex, String matchedResource) implements Decision {
    @Override
    public boolean allowed() {
      return true;
    }

    @Override
    public String explanation() {
      return "allowed by policy '"
          + policyName
          + "' Statement["
          + statementIndex
          + "] (resource "
          + matchedResource
          + ")";
    }
  }

  /** Refused by a matching Deny statement, which wins over every Allow. */
  record ExplicitDeny(String policyName, int statementIndex, String matchedResource)
      implements Decision {
    @Override
    public boolean allowed() {
      return false;
    }

    @Override
    public String explanation() {
      return "explicitly denied by policy '"
          + policyName
          + "' Statement["
          + statementIndex
          + "] (resource "
          + matchedResource
          + ")";
    }
  }

  /** Refused because no statement allows the request (default deny). */
  record ImplicitDeny(String reason) implements Decision {
    @Override
    public boolean allowed() {
      return false;
    }

    @Override
    public String explanation() {
      return "implicitly denied: " + reason;
    }
  }
}
