package io.mamori.hub.policy;

import java.util.List;
import java.util.Objects;

/**
 * Decides whether a request is allowed by the policies that apply to a connection, with AWS IoT
 * semantics (reference §5.1): default deny; any matching Deny statement wins over every Allow;
 * otherwise allowed when some statement allows. Runs on the Netty event loop for every PUBLISH, so
 * it does no parsing, no regex and, on the allow path, allocates only the answer.
 */
public final class PolicyEvaluator {

  private final String region;
  private final String accountId;

  /** {@code arn:aws:iot:<region>:<account>:}, to which the short resource is appended. */
  private final String arnPrefix;

  /**
   * @param region the region the hub answers to, e.g. {@code local} or {@code us-east-1}
   * @param accountId the account the hub answers to, e.g. {@code 000000000000}
   */
  public PolicyEvaluator(String region, String accountId) {
    this.region = Objects.requireNonNull(region, "region");
    this.accountId = Objects.requireNonNull(accountId, "accountId");
    this.arnPrefix = "arn:aws:iot:" + region + ":" + accountId + ":";
  }

  public String region() {
    return region;
  }

  public String accountId() {
    return accountId;
  }

  /** The full ARN of a short resource such as {@code topic/a/b}. */
  public String arn(String resource) {
    return arnPrefix + resource;
  }

  /**
   * Evaluates one request.
   *
   * @param action e.g. {@code iot:Publish} (matched ignoring case, as IAM does)
   * @param resource the short resource: {@code topic/a/b}, {@code topicfilter/a/+}, {@code
   *     client/dev-1}, {@code thing/x}; it is matched as {@code
   *     arn:aws:iot:<region>:<account>:<resource>}
   */
  public Decision evaluate(
      List<NamedPolicy> policies, String action, String resource, PolicyContext context) {
    int allowPolicy = -1;
    int allowStatement = -1;
    int allowResource = Statement.NO_MATCH;
    int skippedPolicy = -1;
    int skippedStatement = -1;
    for (int p = 0; p < policies.size(); p++) {
      List<Statement> statements = policies.get(p).document().statements();
      for (int s = 0; s < statements.size(); s++) {
        Statement statement = statements.get(s);
        if (!statement.coversAction(action)) {
          continue;
        }
        if (!statement.variablesResolvable(context)) {
          if (skippedPolicy < 0) {
            skippedPolicy = p;
            skippedStatement = s;
          }
          continue;
        }
        int matched = statement.resourceMatch(arnPrefix, resource, context);
        if (matched == Statement.NO_MATCH || !statement.conditionsHold(context)) {
          continue;
        }
        if (statement.effect() == Effect.DENY) {
          return new Decision.ExplicitDeny(
              policies.get(p).name(), s, describe(statement, matched, resource, context));
        }
        if (allowPolicy < 0) {
          allowPolicy = p;
          allowStatement = s;
          allowResource = matched;
        }
      }
    }
    if (allowPolicy >= 0) {
      Statement statement = policies.get(allowPolicy).document().statements().get(allowStatement);
      return new Decision.Allow(
          policies.get(allowPolicy).name(),
          allowStatement,
          describe(statement, allowResource, resource, context));
    }
    return new Decision.ImplicitDeny(
        implicitReason(policies, action, resource, context, skippedPolicy, skippedStatement));
  }

  private String describe(Statement statement, int matched, String resource, PolicyContext ctx) {
    if (matched == Statement.NOT_RESOURCE_MATCH) {
      return arn(resource) + ", outside NotResource";
    }
    return statement.resources().get(matched).render(ctx);
  }

  private String implicitReason(
      List<NamedPolicy> policies,
      String action,
      String resource,
      PolicyContext context,
      int skippedPolicy,
      int skippedStatement) {
    if (policies.isEmpty()) {
      return "no policy applies to this principal";
    }
    StringBuilder reason =
        new StringBuilder("no statement allows ")
            .append(action)
            .append(" on ")
            .append(arn(resource));
    if (skippedPolicy >= 0) {
      Statement skipped = policies.get(skippedPolicy).document().statements().get(skippedStatement);
      reason
          .append("; policy '")
          .append(policies.get(skippedPolicy).name())
          .append("' Statement[")
          .append(skippedStatement)
          .append("] did not apply: ")
          .append(skipped.firstUnresolvable(context))
          .append(" cannot be resolved for client '")
          .append(context.clientId())
          .append("'");
    }
    return reason.toString();
  }
}
