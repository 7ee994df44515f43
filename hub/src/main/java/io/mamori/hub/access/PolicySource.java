package io.mamori.hub.access;

import io.mamori.hub.policy.NamedPolicy;
import io.mamori.hub.policy.PolicyDocument;
import io.mamori.hub.registry.PolicyRepository;
import java.util.List;

/**
 * Loads the parsed policies in force for a certificate. Documents were validated when stored; one
 * that no longer parses is left out, which can only take permissions away (fail closed).
 */
final class PolicySource {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(PolicySource.class);
  private final PolicyRepository policies;

  PolicySource(PolicyRepository policies) {
    this.policies = policies;
  }

  List<NamedPolicy> policiesOf(String certificateId) {
    return policies.policiesOf(certificateId).stream()
        .flatMap(
            p -> {
              try {
                return java.util.stream.Stream.of(
                    new NamedPolicy(p.name(), PolicyDocument.parse(p.document())));
              } catch (RuntimeException unparsable) {
                log.warn(
                    "stored policy no longer parses, left out policy={} reason={}",
                    p.name(),
                    unparsable.getMessage());
                return java.util.stream.Stream.empty();
              }
            })
        .toList();
  }
}
