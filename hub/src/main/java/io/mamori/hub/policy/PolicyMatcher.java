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
  private final PolicyEvaluator evaluator;
  private final List<NamedPolicy> policies;
  private final PolicyContext context;
  private final String action;
  private final String type;

  // Deny wins (§5.1), so the deny patterns are tried first. A NotResource statement applies to
  // a name that none of its patterns matches, hence one group per statement.
  private final Patterns denyResources;
  private final Patterns[] denyOutside;
  private final Patterns allowResources;
  private final Patterns[] allowOutside;

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
    // arn:aws:iot:<region>:<account>:<type>, what every name is appended to.
    String head = evaluator.arn(type);
    Patterns.Builder denies = new Patterns.Builder(head, context);
    List<Patterns> denyGroups = new ArrayList<>();
    Patterns.Builder allows = new Patterns.Builder(head, context);
    List<Patterns> allowGroups = new ArrayList<>();
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
          (deny ? denies : allows).addAll(statement.resources());
        } else {
          Patterns.Builder group = new Patterns.Builder(head, context);
          group.addAll(statement.notResources());
          (deny ? denyGroups : allowGroups).add(group.build());
        }
      }
    }
    this.denyResources = denies.build();
    this.denyOutside = denyGroups.toArray(Patterns[]::new);
    this.allowResources = allows.build();
    this.allowOutside = allowGroups.toArray(Patterns[]::new);
  }

  /**
   * Resource patterns with their variables resolved for the connection, each with the places where
   * matching resumes after the fixed ARN head ({@link Glob#startsAfter}): the ARN is matched once
   * here, not per request, and patterns for another resource type, region or account (that nothing
   * can follow the head in) are left out.
   */
  private static final class Patterns {
    private final Glob[] patterns;
    private final long[][] starts;

    private Patterns(Glob[] patterns, long[][] starts) {
      this.patterns = patterns;
      this.starts = starts;
    }

    /** True when {@code head + name} matches one of the patterns. */
    boolean anyMatches(String name) {
      for (int p = 0; p < patterns.length; p++) {
        Glob pattern = patterns[p];
        for (long start : starts[p]) {
          if (pattern.matchesFrom(start, name)) {
            return true;
          }
        }
      }
      return false;
    }

    private static final class Builder {
      private final String head;
      private final PolicyContext context;
      private final List<Glob> patterns = new ArrayList<>();
      private final List<long[]> starts = new ArrayList<>();

      Builder(String head, PolicyContext context) {
        this.head = head;
        this.context = context;
      }

      void addAll(List<Glob> written) {
        for (Glob pattern : written) {
          // Never null: the statement's variables were checked resolvable for this context.
          Glob resolved = pattern.resolve(context);
          long[] after = resolved.startsAfter(head);
          if (after.length > 0) {
            patterns.add(resolved);
            starts.add(after);
          }
        }
      }

      Patterns build() {
        return new Patterns(patterns.toArray(Glob[]::new), starts.toArray(long[][]::new));
      }
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
    if (denyResources.anyMatches(name)) {
      return false;
    }
    for (Patterns outside : denyOutside) {
      if (!outside.anyMatches(name)) {
        return false;
      }
    }
    if (allowResources.anyMatches(name)) {
      return true;
    }
    for (Patterns outside : allowOutside) {
      if (!outside.anyMatches(name)) {
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
