package io.mamori.hub.access;

import io.mamori.hub.mqtt.Authenticator;
import io.mamori.hub.policy.PolicyEvaluator;
import io.mamori.hub.registry.CertificateRepository;
import io.mamori.hub.registry.PolicyRepository;
import io.mamori.hub.registry.RegistryListener;
import io.mamori.hub.registry.ThingRepository;
import java.time.Clock;
import java.util.concurrent.Executor;

/**
 * Binds certificates, registry and policies into the broker's access decisions: the {@link
 * Authenticator} for CONNECT, the live permissions of each connection, and the listener that
 * applies registry changes to connected devices.
 */
public final class DeviceAccess {
  private final LivePermissions live = new LivePermissions();
  private final ConnectionContexts contexts;
  private final PolicySource policies;
  private final PolicyEvaluator evaluator;
  private final CertificateAuthenticator authenticator;
  private final CertificateRepository certificates;

  public DeviceAccess(
      CertificateRepository certificates,
      ThingRepository things,
      PolicyRepository policyRepository,
      GroupPolicies groupPolicies,
      PolicyEvaluator evaluator,
      Executor worker,
      Clock clock,
      IssuerCheck issuers,
      UnregisteredCertificates unregistered) {
    this.certificates = certificates;
    this.contexts = new ConnectionContexts(certificates, things);
    this.policies = new PolicySource(policyRepository, groupPolicies);
    this.evaluator = evaluator;
    this.authenticator =
        new CertificateAuthenticator(
            certificates,
            contexts,
            policies,
            evaluator,
            live,
            worker,
            clock,
            issuers,
            unregistered);
  }

  public Authenticator authenticator() {
    return authenticator;
  }

  /** Evaluates a certificate's policies as its connection would: {@code mamori policy test}. */
  public io.mamori.hub.api.PolicyTester tester() {
    return new PolicySimulator(certificates, contexts, policies, evaluator);
  }

  /** The registry listener that cuts off and updates live connections through the broker. */
  public RegistryListener enforcer(PrincipalDisconnector disconnector) {
    return new RegistryEnforcer(live, contexts, policies, certificates, disconnector);
  }
}
