package io.mamori.hub.policy;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decides whether a request is allowed by the policies that apply to a connection, with AWS IoT
 * semantics (reference §5.1): default deny; any matching Deny statement wins over every Allow;
 * otherwise allowed when some statement allows. Runs on the Netty event loop for every PUBLISH, so
 * it does no parsing, no regex, no string building: a {@link Verdict} explains itself only when
 * asked.
 */
public final class PolicyEvaluator {

  private final String region;
  private final String accountId;

  /** {@code arn:aws:iot:<region>:<account>:}, to which the short resource is appended. */
  private final String arnPrefix;

  /** {@code arnPrefix + type} for the few resource types the broker asks about. */
  private final Map<String, String> heads = new ConcurrentHashMap<>();

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
    return verdict(policies, action, "", resource, context).decision();
  }

  /**
   * Evaluates one request on {@code type + name} (e.g. {@code topic/} and the topic) without
   * building the resource string or an explanation: the broker's per-PUBLISH path. The verdict
   * renders its {@link Decision} only when asked (to log a denial).
   *
   * @param type the resource type with its slash, e.g. {@code topic/}; a handful of constants
   */
  public Verdict verdict(
      List<NamedPolicy> policies, String action, String type, String name, PolicyContext context) {
    String head = type.isEmpty() ? arnPrefix : heads.get(type);
    if (head == null) {
      head = arnPrefix + type;
      heads.put(type, head);
    }
    int skippedPolicy = -1;
    int skippedStatement = -1;
    int allowPolicy = -1;
    int allowStatement = -1;
    int allowResource = Statement.NO_MATCH;
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
        int matched = statement.resourceMatch(head, name, context);
        if (matched == Statement.NO_MATCH || !statement.conditionsHold(context)) {
          continue;
        }
        if (statement.effect() == Effect.DENY) {
          return new Verdict(false, policies, action, type, name, context, p, s, matched);
        }
        if (allowPolicy < 0) {
          allowPolicy = p;
          allowStatement = s;
          allowResource = matched;
        }
      }
    }
    if (allowPolicy >= 0) {
      return new Verdict(
          true, policies, action, type, name, context, allowPolicy, allowStatement, allowResource);
    }
    return new Verdict(
        false,
        policies,
        action,
        type,
        name,
        context,
        skippedPolicy,
        skippedStatement,
        Verdict.IMPLICIT);
  }

  /**
   * Compiles {@code policies} for one connection's {@code context} and one kind of request, for a
   * caller that asks the same question many times (the broker, per PUBLISH): see {@link
   * PolicyMatcher}. Its answers equal {@link #verdict}'s for the same arguments.
   *
   * @param type the resource type with its slash, e.g. {@code topic/}
   */
  public PolicyMatcher matcher(
      List<NamedPolicy> policies, PolicyContext context, String action, String type) {
    return new PolicyMatcher(this, policies, context, action, type);
  }

  /**
   * The outcome of one request: allowed or not at once, and the {@link Decision} with its
   * explanation rendered on first use (most allowed PUBLISHes never need it).
   */
  public final class Verdict {
    private static final int IMPLICIT = Integer.MIN_VALUE;
    private final boolean allowed;
    // What was asked, kept (not copied) to explain the verdict later.
    private final List<NamedPolicy> policies;
    private final String action;
    private final String type;
    private final String name;
    private final PolicyContext context;
    private final int policy;
    private final int statement;
    private final int matched; // resource index, NOT_RESOURCE_MATCH, or IMPLICIT
    private Decision decision;

    private Verdict(
        boolean allowed,
        List<NamedPolicy> policies,
        String action,
        String type,
        String name,
        PolicyContext context,
        int policy,
        int statement,
        int matched) {
      this.allowed = allowed;
      this.policies = policies;
      this.action = action;
      this.type = type;
      this.name = name;
      this.context = context;
      this.policy = policy;
      this.statement = statement;
      this.matched = matched;
    }

    public boolean allowed() {
      return allowed;
    }

    /** The full answer with its explanation (rendered once, here). */
    public Decision decision() {
      if (decision == null) {
        decision = render();
      }
      return decision;
    }

    private Decision render() {
      if (matched == IMPLICIT) {
        return new Decision.ImplicitDeny(
            implicitReason(policies, action, type + name, context, policy, statement));
      }
      NamedPolicy named = policies.get(policy);
      Statement decided = named.document().statements().get(statement);
      String resource = describe(decided, matched, type + name, context);
      return allowed
          ? new Decision.Allow(named.name(), statement, resource)
          : new Decision.ExplicitDeny(named.name(), statement, resource);
    }
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
