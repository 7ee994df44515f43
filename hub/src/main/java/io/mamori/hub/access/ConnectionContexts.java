package io.mamori.hub.access;

import io.mamori.hub.pki.CertificateFields;
import io.mamori.hub.policy.PolicyContext;
import io.mamori.hub.registry.CertificateRepository;
import io.mamori.hub.registry.Thing;
import io.mamori.hub.registry.ThingRepository;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Builds the policy context of a connection: which thing it speaks for and the certificate fields
 * its policy variables may use.
 */
final class ConnectionContexts {
  private final CertificateRepository certificates;
  private final ThingRepository things;

  ConnectionContexts(CertificateRepository certificates, ThingRepository things) {
    this.certificates = certificates;
    this.things = things;
  }

  /**
   * Reference §5.4 and §6.3 (non-exclusive attachment): the connection's thing is the one named by
   * the client id, and only when that thing is attached to the certificate; otherwise thing
   * variables stay unresolved and IsAttached is false.
   */
  PolicyContext build(
      String certificateId,
      X509Certificate leaf,
      String clientId,
      Optional<String> sourceIp,
      Set<String> connectAttributes) {
    Map<String, java.util.List<String>> certificateValues = CertificateFields.of(leaf);
    return withThing(
        new PolicyContext(
            clientId,
            Optional.empty(),
            Optional.empty(),
            Map.of(),
            false,
            certificateValues,
            sourceIp,
            connectAttributes),
        certificateId);
  }

  /** The same context with the thing part looked up again (after a registry change). */
  PolicyContext withThing(PolicyContext context, String certificateId) {
    Optional<Thing> thing =
        certificates.thingsOf(certificateId).contains(context.clientId())
            ? things.find(context.clientId())
            : Optional.empty();
    return new PolicyContext(
        context.clientId(),
        thing.map(Thing::name),
        thing.flatMap(Thing::thingType),
        thing.map(Thing::attributes).orElse(Map.of()),
        thing.isPresent(),
        context.certificateValues(),
        context.sourceIp(),
        context.connectAttributes());
  }
}
