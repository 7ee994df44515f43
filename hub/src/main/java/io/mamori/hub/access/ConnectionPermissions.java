package io.mamori.hub.access;

import io.mamori.hub.mqtt.AccessDecision;
import io.mamori.hub.mqtt.ClientAuthorization;
import io.mamori.hub.policy.Decision;
import io.mamori.hub.policy.NamedPolicy;
import io.mamori.hub.policy.PolicyContext;
import io.mamori.hub.policy.PolicyEvaluator;
import java.util.List;
import java.util.function.Consumer;

/**
 * The live permissions of one MQTT connection: its certificate's policies evaluated against its own
 * context (client id, thing, certificate fields). Policies and context are swapped in place when
 * the registry changes, so an edit applies to connected devices at once; a revoked connection
 * denies everything until the broker has closed it.
 */
final class ConnectionPermissions implements ClientAuthorization {
  private final String certificateId;
  private final PolicyEvaluator evaluator;
  private final Consumer<ConnectionPermissions> onClose;
  private volatile PolicyContext context;
  private volatile List<NamedPolicy> policies;
  private volatile boolean revoked;

  ConnectionPermissions(
      String certificateId,
      PolicyContext context,
      List<NamedPolicy> policies,
      PolicyEvaluator evaluator,
      Consumer<ConnectionPermissions> onClose) {
    this.certificateId = certificateId;
    this.context = context;
    this.policies = List.copyOf(policies);
    this.evaluator = evaluator;
    this.onClose = onClose;
  }

  @Override
  public String principalId() {
    return certificateId;
  }

  PolicyContext context() {
    return context;
  }

  void replacePolicies(List<NamedPolicy> next) {
    policies = List.copyOf(next);
  }

  void replaceContext(PolicyContext next) {
    context = next;
  }

  void revoke() {
    revoked = true;
  }

  /** iot:Connect on {@code client/<clientId>} (reference §5.2). */
  Decision connectDecision() {
    return evaluate("iot:Connect", "client/" + context.clientId());
  }

  @Override
  public AccessDecision mayPublish(String topic, boolean retain) {
    AccessDecision publish = toAccess(evaluate("iot:Publish", "topic/" + topic));
    if (!publish.allowed() || !retain) {
      return publish;
    }
    // Reference §5.2: a retained publish needs iot:RetainPublish as well as iot:Publish.
    return toAccess(evaluate("iot:RetainPublish", "topic/" + topic));
  }

  @Override
  public AccessDecision maySubscribe(String topicFilter) {
    return toAccess(evaluate("iot:Subscribe", "topicfilter/" + topicFilter));
  }

  @Override
  public AccessDecision mayReceive(String topic) {
    return toAccess(evaluate("iot:Receive", "topic/" + topic));
  }

  @Override
  public void connectionClosed() {
    onClose.accept(this);
  }

  private Decision evaluate(String action, String resource) {
    if (revoked) {
      return new Decision.ImplicitDeny("certificate " + certificateId + " is no longer active");
    }
    return evaluator.evaluate(policies, action, resource, context);
  }

  private static AccessDecision toAccess(Decision decision) {
    return new AccessDecision(decision.allowed(), decision.explanation());
  }
}
