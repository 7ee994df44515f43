package io.mamori.hub.access;

import io.mamori.hub.mqtt.AccessDecision;
import io.mamori.hub.mqtt.ClientAuthorization;
import io.mamori.hub.policy.Decision;
import io.mamori.hub.policy.NamedPolicy;
import io.mamori.hub.policy.PolicyContext;
import io.mamori.hub.policy.PolicyEvaluator;
import io.mamori.hub.policy.PolicyMatcher;
import java.util.List;
import java.util.function.Consumer;

/**
 * The live permissions of one MQTT connection: its certificate's policies evaluated against its own
 * context (client id, thing, certificate fields), compiled into one {@link PolicyMatcher} per
 * action so that a PUBLISH costs only a topic match. Policies and context are swapped in place (and
 * recompiled) when the registry changes, so an edit applies to connected devices at once; a revoked
 * connection denies everything until the broker has closed it.
 */
final class ConnectionPermissions implements ClientAuthorization {
  private static final String TOPIC = "topic/";
  private static final String TOPIC_FILTER = "topicfilter/";
  private final String certificateId;
  private final PolicyEvaluator evaluator;
  private final Consumer<ConnectionPermissions> onClose;
  private volatile Rules rules;
  private volatile String revoked; // why everything is denied now, or null

  /**
   * Policies and context as one value, with the matchers compiled from them, so that a request
   * never sees the policies of one version with the context of another. Compiled when either
   * changes (rare), not per request.
   */
  private record Rules(
      List<NamedPolicy> policies,
      PolicyContext context,
      PolicyMatcher publish,
      PolicyMatcher retainPublish,
      PolicyMatcher subscribe,
      PolicyMatcher receive) {

    static Rules compile(
        PolicyEvaluator evaluator, List<NamedPolicy> policies, PolicyContext context) {
      List<NamedPolicy> fixed = List.copyOf(policies);
      return new Rules(
          fixed,
          context,
          evaluator.matcher(fixed, context, "iot:Publish", TOPIC),
          evaluator.matcher(fixed, context, "iot:RetainPublish", TOPIC),
          evaluator.matcher(fixed, context, "iot:Subscribe", TOPIC_FILTER),
          evaluator.matcher(fixed, context, "iot:Receive", TOPIC));
    }
  }

  ConnectionPermissions(
      String certificateId,
      PolicyContext context,
      List<NamedPolicy> policies,
      PolicyEvaluator evaluator,
      Consumer<ConnectionPermissions> onClose) {
    this.certificateId = certificateId;
    this.evaluator = evaluator;
    this.rules = Rules.compile(evaluator, policies, context);
    this.onClose = onClose;
  }

  @Override
  public String principalId() {
    return certificateId;
  }

  PolicyContext context() {
    return rules.context();
  }

  // Synchronized so that two concurrent updates (policies and thing) cannot lose one another.
  synchronized void replacePolicies(List<NamedPolicy> next) {
    rules = Rules.compile(evaluator, next, rules.context());
  }

  synchronized void replaceContext(PolicyContext next) {
    rules = Rules.compile(evaluator, rules.policies(), next);
  }

  void revoke() {
    revoke("certificate " + certificateId + " is no longer active");
  }

  /** Denies everything from now on, for {@code reason}, until the broker has closed it. */
  void revoke(String reason) {
    revoked = reason;
  }

  boolean revoked() {
    return revoked != null;
  }

  /** iot:Connect on {@code client/<clientId>} (reference §5.2). */
  Decision connectDecision() {
    String reason = revoked;
    if (reason != null) {
      return new Decision.ImplicitDeny(reason);
    }
    Rules current = rules;
    return evaluator.evaluate(
        current.policies(),
        "iot:Connect",
        "client/" + current.context().clientId(),
        current.context());
  }

  @Override
  public AccessDecision mayPublish(String topic, boolean retain) {
    Rules current = rules;
    AccessDecision publish = decide(current.publish(), topic);
    if (!publish.allowed() || !retain) {
      return publish;
    }
    // Reference §5.2: a retained publish needs iot:RetainPublish as well as iot:Publish.
    return decide(current.retainPublish(), topic);
  }

  @Override
  public AccessDecision maySubscribe(String topicFilter) {
    return decide(rules.subscribe(), topicFilter);
  }

  @Override
  public AccessDecision mayReceive(String topic) {
    return decide(rules.receive(), topic);
  }

  @Override
  public void connectionClosed() {
    onClose.accept(this);
  }

  /** Runs for every PUBLISH and delivery: no string is built unless the reason is read. */
  private AccessDecision decide(PolicyMatcher matcher, String name) {
    String reason = revoked;
    if (reason != null) {
      return AccessDecision.deny(new Decision.ImplicitDeny(reason).explanation());
    }
    return AccessDecision.of(matcher.allows(name), () -> matcher.decision(name).explanation());
  }
}
