package io.mamori.hub.policy;

import java.util.ArrayList;
import java.util.List;

/**
 * The policies of one connection compiled for one kind of request (an action on a resource type,
 * e.g. {@code iot:Publish} on {@code topic/}): the broker's per-PUBLISH path. Gives the same answer
 * as {@link PolicyEvaluator#verdict} for the same policies and context, with the work that depends
 * only on them done once, here: statements for other actions are dropped, variables are substituted
 * (and their values checked for §5.4 safety) and Conditions are decided. What is left per request
 * is matching the name against the remaining resource patterns, with no allocation.
 *
 * <p>This is exact because a {@link PolicyContext} describes the connection, not the request: every
 * condition key and variable (§5.4) is a connection fact (client id, thing, certificate, source
 * address, CONNECT attributes). When the context or policies change, the owner compiles a new
 * matcher; this one never changes.
 */
public final class PolicyMatcher {
  private static final Glob[] NO_PATTERNS = {};
  private static final Glob[][] NO_GROUPS = {};

  private final PolicyEvaluator evaluator;
  private final List<NamedPolicy> policies;
  private final PolicyContext context;
  private final String action;
  private final String type;

  /** {@code arn:aws:iot:<region>:<account>:<type>}, what every name is appended to. */
  private final String head;

  // Each pattern below is what must follow the head (Glob.remaindersAfter), so the ARN is matched
  // once here, not per request.

  // Deny wins (§5.1), so the deny patterns are tried first. A NotResource statement applies to
  // a name that none of its patterns matches, hence one group per statement.
  private final Glob[] denyResources;
  private final Glob[][] denyOutside;
  private final Glob[] allowResources;
  private final Glob[][] allowOutside;

  PolicyMatcher(
      PolicyEvaluator evaluator,
      List<NamedPolicy> policies,
      PolicyContext context,
      String action,
      String type) {
    this.evaluator = evaluator;
    this.policies = List.copyOf(policies);
    this.context = context;
    this.action = action;
    this.type = type;
    this.head = evaluator.arn(type);
    List<Glob> denies = new ArrayList<>();
    List<Glob[]> denyGroups = new ArrayList<>();
    List<Glob> allows = new ArrayList<>();
    List<Glob[]> allowGroups = new ArrayList<>();
    for (NamedPolicy policy : this.policies) {
      for (Statement statement : policy.document().statements()) {
        // The same tests, in the same order, as PolicyEvaluator.verdict makes per request.
        if (!statement.coversAction(action)
            || !statement.variablesResolvable(context)
            || !statement.conditionsHold(context)) {
          continue;
        }
        boolean deny = statement.effect() == Effect.DENY;
        if (!statement.resources().isEmpty()) {
          resolveInto(statement.resources(), deny ? denies : allows);
        } else {
          List<Glob> group = new ArrayList<>();
          resolveInto(statement.notResources(), group);
          (deny ? denyGroups : allowGroups).add(group.toArray(NO_PATTERNS));
        }
      }
    }
    this.denyResources = denies.toArray(NO_PATTERNS);
    this.denyOutside = denyGroups.toArray(NO_GROUPS);
    this.allowResources = allows.toArray(NO_PATTERNS);
    this.allowOutside = allowGroups.toArray(NO_GROUPS);
  }

  /**
   * Adds, for each pattern, what must follow {@code head} for it to match: a name matches the
   * pattern iff it matches one of these. Patterns that cannot match anything after {@code head}
   * (another resource type, region or account) add nothing.
   */
  private void resolveInto(List<Glob> patterns, List<Glob> into) {
    for (Glob pattern : patterns) {
      // Never null: the statement's variables were checked resolvable for this context.
      into.addAll(pattern.resolve(context).remaindersAfter(head));
    }
  }

  /** The action this matcher answers for, e.g. {@code iot:Publish}. */
  public String action() {
    return action;
  }

  /** The resource type this matcher answers for, e.g. {@code topic/}. */
  public String type() {
    return type;
  }

  /**
   * Whether the request on {@code type + name} is allowed: no Deny statement matches and some Allow
   * statement does (§5.1). Allocates nothing.
   */
  public boolean allows(String name) {
    for (Glob pattern : denyResources) {
      if (pattern.matches(name, null, false)) {
        return false;
      }
    }
    for (Glob[] outside : denyOutside) {
      if (!matchesAny(outside, name)) {
        return false;
      }
    }
    for (Glob pattern : allowResources) {
      if (pattern.matches(name, null, false)) {
        return true;
      }
    }
    for (Glob[] outside : allowOutside) {
      if (!matchesAny(outside, name)) {
        return true;
      }
    }
    return false;
  }

  private boolean matchesAny(Glob[] patterns, String name) {
    for (Glob pattern : patterns) {
      if (pattern.matches(name, null, false)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The full answer for {@code type + name} with its explanation, for logs. Rendered by the
   * evaluator from the same policies and context, so it names the statement that decided.
   */
  public Decision decision(String name) {
    return evaluator.verdict(policies, action, type, name, context).decision();
  }
}
