package io.mamori.hub.access;

import io.mamori.hub.policy.NamedPolicy;
import io.mamori.hub.policy.PolicyDocument;
import io.mamori.hub.registry.PolicyRepository;
import java.util.List;

/**
 * Loads the parsed policies in force for a connection: its certificate's, plus those of the thing
 * groups (and their ancestors) of the thing it speaks for (reference §5.1). Documents were
 * validated when stored; one that no longer parses is left out, which can only take permissions
 * away (fail closed).
 */
final class PolicySource {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(PolicySource.class);
  private static final int PARSED_DOCUMENTS = 1024;
  private final PolicyRepository policies;
  private final GroupPolicies groups;

  // Parsed documents by their text. Thousands of connections share a handful of policies and a
  // parsed document is immutable, so each is held once instead of once per connection (memory per
  // idle connection) and parsed once instead of on every CONNECT. An edit is new text: a new entry.
  private final java.util.Map<String, PolicyDocument> parsed =
      java.util.Collections.synchronizedMap(
          new java.util.LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(
                java.util.Map.Entry<String, PolicyDocument> eldest) {
              return size() > PARSED_DOCUMENTS;
            }
          });

  PolicySource(PolicyRepository policies, GroupPolicies groups) {
    this.policies = policies;
    this.groups = groups;
  }

  /** The certificate's policies alone (no thing known). */
  List<NamedPolicy> policiesOf(String certificateId) {
    return policiesOf(certificateId, java.util.Optional.empty());
  }

  /**
   * The certificate's policies and, when the connection speaks for a thing, its groups' policies; a
   * policy attached both ways counts once. Two indexed queries: cheap enough for every CONNECT.
   */
  List<NamedPolicy> policiesOf(String certificateId, java.util.Optional<String> thing) {
    var all = new java.util.LinkedHashMap<String, io.mamori.hub.registry.Policy>();
    policies.policiesOf(certificateId).forEach(p -> all.put(p.name(), p));
    thing.ifPresent(t -> groups.policiesOfThing(t).forEach(p -> all.putIfAbsent(p.name(), p)));
    return all.values().stream()
        .flatMap(
            p -> {
              try {
                return java.util.stream.Stream.of(new NamedPolicy(p.name(), parse(p.document())));
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

  private PolicyDocument parse(String document) {
    PolicyDocument known = parsed.get(document);
    if (known != null) {
      return known;
    }
    PolicyDocument fresh = PolicyDocument.parse(document);
    parsed.put(document, fresh);
    return fresh;
  }
}
