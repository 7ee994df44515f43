package io.mamori.hub.policy;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What the evaluator knows about the connection a request comes from: the values behind policy
 * variables and condition keys (reference §5.4).
 *
 * @param clientId the MQTT client id ({@code iot:ClientId})
 * @param thingName the thing associated with the connection, if any. Thing variables resolve only
 *     when this is present <em>and</em> {@code thingAttached} is true (§6.3: the thing named by the
 *     client id must be attached to the principal); otherwise they are unresolvable
 * @param thingTypeName the thing's type ({@code iot:Connection.Thing.ThingTypeName})
 * @param thingAttributes the thing's attributes ({@code iot:Connection.Thing.Attributes[name]})
 * @param thingAttached {@code iot:Connection.Thing.IsAttached}
 * @param certificateValues certificate fields by the key after {@code iot:Certificate.}, e.g.
 *     {@code Subject.CommonName}, {@code Subject.AlternativeName.DNSName}, {@code SerialNumber};
 *     multi-valued fields list every value in certificate order
 * @param sourceIp the peer address as an IPv4 or IPv6 literal ({@code aws:SourceIp})
 * @param connectAttributes {@code iot:ConnectAttributes}: {@code PersistentConnect}, {@code
 *     LastWill}
 */
public record PolicyContext(
    String clientId,
    Optional<String> thingName,
    Optional<String> thingTypeName,
    Map<String, String> thingAttributes,
    boolean thingAttached,
    Map<String, List<String>> certificateValues,
    Optional<String> sourceIp,
    Set<String> connectAttributes) {

  /** The connect attribute of a CONNECT that asks for a persistent session. */
  public static final String PERSISTENT_CONNECT = "PersistentConnect";

  /** The connect attribute of a CONNECT that carries a will message. */
  public static final String LAST_WILL = "LastWill";

  public PolicyContext {
    Objects.requireNonNull(clientId, "clientId");
    Objects.requireNonNull(thingName, "thingName");
    Objects.requireNonNull(thingTypeName, "thingTypeName");
    Objects.requireNonNull(sourceIp, "sourceIp");
    thingAttributes = Map.copyOf(thingAttributes);
    certificateValues = Map.copyOf(certificateValues);
    connectAttributes = Set.copyOf(connectAttributes);
  }

  /** A context with only a client id: no thing, no certificate fields, no address. */
  public static PolicyContext ofClient(String clientId) {
    return new PolicyContext(
        clientId,
        Optional.empty(),
        Optional.empty(),
        Map.of(),
        false,
        Map.of(),
        Optional.empty(),
        Set.of());
  }

  /** The thing name, but only when the thing is attached to the connecting principal. */
  Optional<String> attachedThingName() {
    return thingAttached ? thingName : Optional.empty();
  }
}
