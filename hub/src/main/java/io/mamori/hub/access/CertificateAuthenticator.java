package io.mamori.hub.access;

import io.mamori.hub.mqtt.AuthenticationResult;
import io.mamori.hub.mqtt.Authenticator;
import io.mamori.hub.mqtt.ConnectRequest;
import io.mamori.hub.pki.CertificateIds;
import io.mamori.hub.policy.Decision;
import io.mamori.hub.policy.PolicyEvaluator;
import io.mamori.hub.registry.CertificateRepository;
import io.mamori.hub.registry.CertificateStatus;
import io.mamori.hub.registry.DeviceCertificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * Authenticates a CONNECT by its TLS client certificate: the certificate must be registered, ACTIVE
 * and within its validity, and its policies must allow {@code iot:Connect} on the client id.
 * Anything unexpected refuses the connection (fail closed).
 */
public final class CertificateAuthenticator implements Authenticator {
  private final CertificateRepository certificates;
  private final ConnectionContexts contexts;
  private final PolicySource policies;
  private final PolicyEvaluator evaluator;
  private final LivePermissions live;
  private final Executor worker;
  private final Clock clock;
  private final IssuerCheck issuers;
  private final UnregisteredCertificates unregistered;

  CertificateAuthenticator(
      CertificateRepository certificates,
      ConnectionContexts contexts,
      PolicySource policies,
      PolicyEvaluator evaluator,
      LivePermissions live,
      Executor worker,
      Clock clock,
      IssuerCheck issuers,
      UnregisteredCertificates unregistered) {
    this.certificates = certificates;
    this.contexts = contexts;
    this.policies = policies;
    this.evaluator = evaluator;
    this.live = live;
    this.worker = worker;
    this.clock = clock;
    this.issuers = issuers;
    this.unregistered = unregistered;
  }

  @Override
  public CompletionStage<AuthenticationResult> authenticate(ConnectRequest request) {
    return CompletableFuture.supplyAsync(() -> decide(request), worker)
        .exceptionally(
            failure ->
                new AuthenticationResult.Refused("authentication failed: " + rootCause(failure)));
  }

  private AuthenticationResult decide(ConnectRequest request) {
    if (request.peerChain().isEmpty()) {
      return new AuthenticationResult.Refused("no client certificate");
    }
    X509Certificate leaf = request.peerChain().get(0);
    String certificateId = CertificateIds.of(leaf);
    // Registered in the live index before the status is read, so that a revocation committed
    // in between still finds and disables this connection.
    ConnectionPermissions permissions =
        new ConnectionPermissions(
            certificateId,
            contexts.build(
                certificateId,
                leaf,
                request.clientId(),
                Optional.ofNullable(request.remoteAddress())
                    .map(a -> a.getAddress().getHostAddress()),
                connectAttributes(request)),
            java.util.List.of(),
            evaluator,
            live::remove);
    live.add(permissions);
    Optional<String> refusal = refusal(certificateId, leaf);
    if (refusal.isPresent()) {
      live.remove(permissions);
      return new AuthenticationResult.Refused(certificateId, refusal.get());
    }
    permissions.replacePolicies(
        policies.policiesOf(certificateId, permissions.context().thingName()));
    Decision connect = permissions.connectDecision();
    if (!connect.allowed()) {
      live.remove(permissions);
      return new AuthenticationResult.Refused(
          certificateId, "iot:Connect " + connect.explanation());
    }
    return new AuthenticationResult.Accepted(permissions);
  }

  private Optional<String> refusal(String certificateId, X509Certificate leaf) {
    Optional<DeviceCertificate> certificate = certificates.find(certificateId);
    if (certificate.isEmpty()) {
      return Optional.of(unregistered.refuse(leaf, certificateId));
    }
    DeviceCertificate known = certificate.get();
    if (known.status() == CertificateStatus.PENDING_ACTIVATION) {
      return Optional.of(unregistered.refusePending(known));
    }
    if (known.status() != CertificateStatus.ACTIVE) {
      return Optional.of("certificate " + certificateId + " is " + known.status());
    }
    if (clock.instant().isAfter(known.notAfter()) || clock.instant().isBefore(known.notBefore())) {
      return Optional.of("certificate " + certificateId + " is outside its validity period");
    }
    return issuers.refusal(known);
  }

  /** Reference §5.4: the iot:ConnectAttributes condition key. */
  private static Set<String> connectAttributes(ConnectRequest request) {
    Set<String> attributes = new LinkedHashSet<>();
    if (request.persistentSession()) {
      attributes.add("PersistentConnect");
    }
    if (request.hasWill()) {
      attributes.add("LastWill");
    }
    return attributes;
  }

  private static String rootCause(Throwable failure) {
    Throwable cause = failure;
    while (cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause.getClass().getSimpleName();
  }
}
