package io.mamori.hub.access;

import io.mamori.hub.api.PolicyTestResult;
import io.mamori.hub.api.PolicyTester;
import io.mamori.hub.pki.Pem;
import io.mamori.hub.policy.Decision;
import io.mamori.hub.policy.PolicyContext;
import io.mamori.hub.policy.PolicyEvaluator;
import io.mamori.hub.registry.CertificateRepository;
import io.mamori.hub.registry.DeviceCertificate;
import io.mamori.hub.registry.RegistryException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Answers {@code mamori policy test}: evaluates a certificate's policies exactly as a live
 * connection of that certificate would be evaluated (same context, same evaluator).
 */
final class PolicySimulator implements PolicyTester {
  private final CertificateRepository certificates;
  private final ConnectionContexts contexts;
  private final PolicySource policies;
  private final PolicyEvaluator evaluator;

  PolicySimulator(
      CertificateRepository certificates,
      ConnectionContexts contexts,
      PolicySource policies,
      PolicyEvaluator evaluator) {
    this.certificates = certificates;
    this.contexts = contexts;
    this.policies = policies;
    this.evaluator = evaluator;
  }

  @Override
  public PolicyTestResult test(
      String certificateId, String action, String resource, Optional<String> clientId) {
    DeviceCertificate certificate =
        certificates
            .find(certificateId)
            .orElseThrow(() -> RegistryException.notFound("certificate " + certificateId));
    X509Certificate leaf = Pem.parseCertificate(certificate.pem());
    String shortResource = shortForm(resource);
    String client =
        clientId
            .or(() -> clientOfConnectResource(shortResource))
            .or(() -> certificates.thingsOf(certificateId).stream().findFirst())
            .orElse(certificateId);
    PolicyContext context = contexts.build(certificateId, leaf, client, Optional.empty(), Set.of());
    Decision decision =
        evaluator.evaluate(
            policies.policiesOf(certificateId, context.thingName()),
            action,
            shortResource,
            context);
    String arn = evaluator.arn(shortResource);
    // Java 17 has no pattern switch: test the sealed cases one by one.
    if (decision instanceof Decision.Allow allow) {
      return new PolicyTestResult(
          true,
          PolicyTestResult.ALLOW,
          Optional.of(allow.policyName()),
          Optional.of(allow.statementIndex()),
          arn,
          decision.explanation());
    }
    if (decision instanceof Decision.ExplicitDeny deny) {
      return new PolicyTestResult(
          false,
          PolicyTestResult.EXPLICIT_DENY,
          Optional.of(deny.policyName()),
          Optional.of(deny.statementIndex()),
          arn,
          decision.explanation());
    }
    return new PolicyTestResult(
        false,
        PolicyTestResult.IMPLICIT_DENY,
        Optional.empty(),
        Optional.empty(),
        arn,
        decision.explanation());
  }

  /** {@code arn:aws:iot:REGION:ACCOUNT:topic/a} becomes {@code topic/a}. */
  private static String shortForm(String resource) {
    if (!resource.startsWith("arn:")) {
      return resource;
    }
    List<String> parts = List.of(resource.split(":", 6));
    if (parts.size() < 6 || parts.get(5).isEmpty()) {
      throw RegistryException.invalid("resource is not an AWS IoT ARN: " + resource);
    }
    return parts.get(5);
  }

  private static Optional<String> clientOfConnectResource(String resource) {
    return resource.startsWith("client/")
        ? Optional.of(resource.substring("client/".length()))
        : Optional.empty();
  }
}
