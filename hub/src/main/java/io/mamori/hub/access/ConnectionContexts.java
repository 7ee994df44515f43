package io.mamori.hub.access;

import io.mamori.hub.pki.CertificateFields;
import io.mamori.hub.policy.PolicyContext;
import io.mamori.hub.registry.CertificateRepository;
import io.mamori.hub.registry.Thing;
import io.mamori.hub.registry.ThingRepository;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Builds the policy context of a connection: which thing it speaks for and the certificate fields
 * its policy variables may use.
 */
final class ConnectionContexts {
  /**
   * Certificates whose fields are kept: a reconnecting fleet's recent devices. Bounded so that a
   * stream of distinct certificates cannot grow memory.
   */
  private static final int FIELDS_CACHED = 1024;

  private final CertificateRepository certificates;
  private final ThingRepository things;

  /**
   * Certificate id to its policy variable fields. The id is the SHA-256 of the certificate's DER,
   * so the fields are a pure function of it and never go stale; parsing the names and extensions
   * again on every CONNECT was ~1.4% of the hub's CPU in the connect bench (notes/conn.md).
   */
  private final Map<String, Map<String, List<String>>> fields =
      new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Map<String, List<String>>> eldest) {
          return size() > FIELDS_CACHED;
        }
      };

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
    Map<String, List<String>> certificateValues = fieldsOf(certificateId, leaf);
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

  private Map<String, List<String>> fieldsOf(String certificateId, X509Certificate leaf) {
    synchronized (fields) {
      Map<String, List<String>> known = fields.get(certificateId);
      if (known != null) {
        return known;
      }
    }
    // Parsed outside the lock; two threads racing on one certificate compute the same value.
    Map<String, List<String>> parsed = CertificateFields.of(leaf);
    synchronized (fields) {
      fields.put(certificateId, parsed);
    }
    return parsed;
  }
}
