package io.mamori.hub.policy;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One parsed statement of a policy document (reference §5.1). Exactly one of {@code actions} /
 * {@code notActions} and one of {@code resources} / {@code notResources} is non-empty, mirroring
 * the JSON elements {@code Action}/{@code NotAction} and {@code Resource}/{@code NotResource}.
 *
 * @param conditions the Condition block's tests; all must hold (IAM: ANDed)
 */
public record Statement(
    Optional<String> sid,
    Effect effect,
    List<Glob> actions,
    List<Glob> notActions,
    List<Glob> resources,
    List<Glob> notResources,
    List<Condition> conditions) {

  /** {@link #resourceMatch} result: the request's resource is not covered. */
  static final int NO_MATCH = -1;

  /** {@link #resourceMatch} result: covered because no NotResource pattern matches it. */
  static final int NOT_RESOURCE_MATCH = -2;

  public Statement {
    Objects.requireNonNull(sid, "sid");
    Objects.requireNonNull(effect, "effect");
    actions = List.copyOf(actions);
    notActions = List.copyOf(notActions);
    resources = List.copyOf(resources);
    notResources = List.copyOf(notResources);
    conditions = List.copyOf(conditions);
    if (actions.isEmpty() == notActions.isEmpty()) {
      throw new IllegalArgumentException("exactly one of actions / notActions must be given");
    }
    if (resources.isEmpty() == notResources.isEmpty()) {
      throw new IllegalArgumentException("exactly one of resources / notResources must be given");
    }
  }

  /** True when the statement names {@code action} (IAM: action names are case-insensitive). */
  boolean coversAction(String action) {
    if (!actions.isEmpty()) {
      return anyMatches(actions, action);
    }
    return !anyMatches(notActions, action);
  }

  private static boolean anyMatches(List<Glob> patterns, String action) {
    for (int i = 0; i < patterns.size(); i++) {
      if (patterns.get(i).matches(action, null, true)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether every policy variable in this statement can be substituted. AWS (§5.4): a variable that
   * cannot be resolved makes the statement not apply. This holds for Deny statements too, as in AWS
   * and IAM: a Deny is a statement like any other, so a Deny whose variables are missing denies
   * nothing, and the request falls through to the other statements and to default deny. Authors who
   * need a Deny to bite when a thing is missing can say so with a {@code Null} condition instead of
   * relying on a variable.
   */
  boolean variablesResolvable(PolicyContext context) {
    return firstUnresolvable(context) == null;
  }

  /** The first variable (as written) that cannot be resolved, or {@code null} if all can. */
  String firstUnresolvable(PolicyContext context) {
    String missing = firstUnresolvable(resources, context);
    if (missing == null) {
      missing = firstUnresolvable(notResources, context);
    }
    for (int c = 0; missing == null && c < conditions.size(); c++) {
      missing = firstUnresolvable(conditions.get(c).patterns(), context);
    }
    return missing;
  }

  private static String firstUnresolvable(List<Glob> patterns, PolicyContext context) {
    for (int i = 0; i < patterns.size(); i++) {
      Glob pattern = patterns.get(i);
      if (pattern.hasVariables() && !pattern.variablesResolvable(context)) {
        return pattern.firstUnresolvable(context);
      }
    }
    return null;
  }

  /**
   * Matches the requested ARN, given as {@code arnPrefix + resource} so that nothing is
   * concatenated per call.
   *
   * @return the index of the matching {@code resources} entry, {@link #NOT_RESOURCE_MATCH}, or
   *     {@link #NO_MATCH}
   */
  int resourceMatch(String arnPrefix, String resource, PolicyContext context) {
    if (!resources.isEmpty()) {
      for (int i = 0; i < resources.size(); i++) {
        if (resources.get(i).matches(arnPrefix, resource, context, false)) {
          return i;
        }
      }
      return NO_MATCH;
    }
    for (int i = 0; i < notResources.size(); i++) {
      if (notResources.get(i).matches(arnPrefix, resource, context, false)) {
        return NO_MATCH;
      }
    }
    return NOT_RESOURCE_MATCH;
  }

  /** True when every condition holds (IAM: the tests of a Condition block are ANDed). */
  boolean conditionsHold(PolicyContext context) {
    for (int i = 0; i < conditions.size(); i++) {
      if (!conditions.get(i).holds(context)) {
        return false;
      }
    }
    return true;
  }
}
