package io.mamori.hub.registry;

import io.mamori.hub.events.EventPublisher;
import io.mamori.hub.policy.PolicyDocument;
import io.mamori.hub.policy.PolicyParseException;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * Named AWS IoT policies: created only when the document parses (see {@code policy}), versioned on
 * update, attached to certificates.
 */
public final class PolicyService {
  private final PolicyRepository policies;
  private final CertificateRepository certificates;
  private final Transactor transactor;
  private final RegistryChanges changes;

  public PolicyService(
      PolicyRepository policies,
      CertificateRepository certificates,
      Transactor transactor,
      EventPublisher events,
      RegistryListener listener,
      Clock clock) {
    this.policies = policies;
    this.certificates = certificates;
    this.transactor = transactor;
    this.changes = new RegistryChanges(transactor, events, listener, clock);
  }

  /** Refuses (INVALID, with the parser's reason) a document that does not parse. */
  public Policy create(String name, String document, String actor) {
    return changes.run(
        "policy.created",
        actor,
        name,
        change -> {
          RegistryRules.policyName(name);
          validate(document);
          var policy = new Policy(name, document, 1, change.at(), change.at());
          transactor.inTransaction(() -> policies.insert(policy));
          change.event("policy.created", name, Map.of("version", "1"));
          return policy;
        });
  }

  /** Adds a new version and makes it the default; attached certificates are told. */
  public Policy update(String name, String document, String actor) {
    return changes.run(
        "policy.updated",
        actor,
        name,
        change -> {
          RegistryRules.policyName(name);
          validate(document);
          record Updated(Policy policy, List<String> targets) {}
          Updated updated =
              transactor.inTransaction(
                  () ->
                      new Updated(
                          policies.addVersion(name, document, change.at()),
                          policies.targetsOf(name)));
          change.event(
              "policy.updated",
              name,
              Map.of(
                  "version",
                  Integer.toString(updated.policy().defaultVersionId()),
                  "attachedCertificates",
                  Integer.toString(updated.targets().size())));
          for (String certificateId : updated.targets()) {
            change.tell(l -> l.certificatePermissionsChanged(certificateId));
          }
          return updated.policy();
        });
  }

  public Policy get(String name) {
    return policies.find(name).orElseThrow(() -> RegistryException.notFound("policy " + name));
  }

  public List<Policy> list() {
    return policies.list();
  }

  /** Refuses (CONFLICT) while the policy is attached, as AWS does. */
  public void delete(String name, String actor) {
    changes.run(
        "policy.deleted",
        actor,
        name,
        change -> {
          transactor.inTransaction(
              () -> {
                get(name);
                int attached = policies.targetsOf(name).size();
                if (attached > 0) {
                  throw RegistryException.conflict(
                      "policy "
                          + name
                          + " is attached to "
                          + attached
                          + (attached == 1 ? " certificate" : " certificates")
                          + "; detach it first");
                }
                policies.delete(name);
              });
          change.event("policy.deleted", name, Map.of());
          return null;
        });
  }

  /** Attaches the policy to a certificate; attaching again is not an error. */
  public void attach(String policyName, String certificateId, String actor) {
    changes.run(
        "policy.attached",
        actor,
        certificateId,
        change -> {
          RegistryRules.certificateId(certificateId);
          transactor.inTransaction(
              () -> {
                get(policyName);
                requireCertificate(certificateId);
                var attached = policies.policiesOf(certificateId);
                boolean already = attached.stream().anyMatch(p -> p.name().equals(policyName));
                if (!already && attached.size() >= RegistryRules.MAX_POLICIES_PER_CERTIFICATE) {
                  throw RegistryException.conflict(
                      "certificate "
                          + certificateId
                          + " already has "
                          + attached.size()
                          + " policies attached, the AWS IoT limit; detach one first");
                }
                policies.attach(policyName, certificateId);
              });
          change.event("policy.attached", certificateId, Map.of("policy", policyName));
          change.tell(l -> l.certificatePermissionsChanged(certificateId));
          return null;
        });
  }

  /** Detaches the policy from a certificate; NOT_FOUND when it was not attached. */
  public void detach(String policyName, String certificateId, String actor) {
    changes.run(
        "policy.detached",
        actor,
        certificateId,
        change -> {
          RegistryRules.certificateId(certificateId);
          transactor.inTransaction(
              () -> {
                get(policyName);
                requireCertificate(certificateId);
                if (!policies.detach(policyName, certificateId)) {
                  throw new RegistryException(
                      RegistryException.Kind.NOT_FOUND,
                      "policy " + policyName + " is not attached to certificate " + certificateId);
                }
              });
          change.event("policy.detached", certificateId, Map.of("policy", policyName));
          change.tell(l -> l.certificatePermissionsChanged(certificateId));
          return null;
        });
  }

  public List<Policy> policiesOf(String certificateId) {
    RegistryRules.certificateId(certificateId);
    return transactor.inTransaction(
        () -> {
          requireCertificate(certificateId);
          return policies.policiesOf(certificateId);
        });
  }

  public List<String> targetsOf(String policyName) {
    return transactor.inTransaction(
        () -> {
          get(policyName);
          return policies.targetsOf(policyName);
        });
  }

  private void requireCertificate(String certificateId) {
    if (certificates.find(certificateId).isEmpty()) {
      throw RegistryException.notFound("certificate " + certificateId);
    }
  }

  /**
   * Size limits, then the policy parser: a document is stored only if the broker can enforce it
   * exactly, so nothing in it is silently ignored.
   */
  private static void validate(String document) {
    RegistryRules.policyDocumentSize(document);
    try {
      PolicyDocument.parse(document);
    } catch (PolicyParseException e) {
      throw new RegistryException(
          RegistryException.Kind.INVALID, "policy document is invalid: " + e.getMessage(), e);
    }
  }
}
