package io.mamori.hub.registry;

import io.mamori.hub.events.EventPublisher;
import java.time.Clock;
import java.util.List;

/**
 * Named AWS IoT policies: created only when the document parses (see {@code policy}), versioned on
 * update, attached to certificates.
 */
public final class PolicyService {
  private final PolicyRepository policies;
  private final CertificateRepository certificates;
  private final Transactor transactor;
  private final EventPublisher events;
  private final RegistryListener listener;
  private final Clock clock;

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
    this.events = events;
    this.listener = listener;
    this.clock = clock;
  }

  /** Refuses (INVALID, with the parser's reason) a document that does not parse. */
  public Policy create(String name, String document, String actor) {
    throw new UnsupportedOperationException("not yet written");
  }

  /** Adds a new version and makes it the default; attached certificates are told. */
  public Policy update(String name, String document, String actor) {
    throw new UnsupportedOperationException("not yet written");
  }

  public Policy get(String name) {
    throw new UnsupportedOperationException("not yet written");
  }

  public List<Policy> list() {
    throw new UnsupportedOperationException("not yet written");
  }

  /** Refuses (CONFLICT) while the policy is attached, as AWS does. */
  public void delete(String name, String actor) {
    throw new UnsupportedOperationException("not yet written");
  }

  public void attach(String policyName, String certificateId, String actor) {
    throw new UnsupportedOperationException("not yet written");
  }

  public void detach(String policyName, String certificateId, String actor) {
    throw new UnsupportedOperationException("not yet written");
  }

  public List<Policy> policiesOf(String certificateId) {
    throw new UnsupportedOperationException("not yet written");
  }

  public List<String> targetsOf(String policyName) {
    throw new UnsupportedOperationException("not yet written");
  }
}
