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
  private static final String TOPIC = "topic/";
  private static final String TOPIC_FILTER = "topicfilter/";
  private final String certificateId;
  private final PolicyEvaluator evaluator;
  private final Consumer<ConnectionPermissions> onClose;
  private volatile PolicyContext context;
  private volatile List<NamedPolicy> policies;
  private volatile String revoked; // why everything is denied now, or null

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
    return evaluator.evaluate(policies, "iot:Connect", "client/" + context.clientId(), context);
  }

  @Override
  public AccessDecision mayPublish(String topic, boolean retain) {
    AccessDecision publish = decide("iot:Publish", TOPIC, topic);
    if (!publish.allowed() || !retain) {
      return publish;
    }
    // Reference §5.2: a retained publish needs iot:RetainPublish as well as iot:Publish.
    return decide("iot:RetainPublish", TOPIC, topic);
  }

  @Override
  public AccessDecision maySubscribe(String topicFilter) {
    return decide("iot:Subscribe", TOPIC_FILTER, topicFilter);
  }

  @Override
  public AccessDecision mayReceive(String topic) {
    return decide("iot:Receive", TOPIC, topic);
  }

  @Override
  public void connectionClosed() {
    onClose.accept(this);
  }

  /** Runs for every PUBLISH and delivery: no string is built unless the reason is read. */
  private AccessDecision decide(String action, String type, String name) {
    String reason = revoked;
    if (reason != null) {
      return AccessDecision.deny(new Decision.ImplicitDeny(reason).explanation());
    }
    PolicyEvaluator.Verdict verdict = evaluator.verdict(policies, action, type, name, context);
    return AccessDecision.of(verdict.allowed(), () -> verdict.decision().explanation());
  }
}
