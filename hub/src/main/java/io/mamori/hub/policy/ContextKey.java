package io.mamori.hub.policy;

import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * A named value taken from the request context: the name inside a policy variable {@code ${...}} or
 * a condition key (reference §5.4). Lookups return {@code null} for "absent" instead of an {@code
 * Optional} because they run for every PUBLISH on the event loop and must not allocate.
 */
sealed interface ContextKey {

  /** AWS keeps at most this many values of a multi-valued certificate field (§5.4). */
  int MAX_CERTIFICATE_VALUES = 5;

  /** The name as written in the policy, e.g. {@code iot:Connection.Thing.ThingName}. */
  String name();

  /** True for keys holding a set of values ({@code .List}, {@code iot:ConnectAttributes}). */
  default boolean multiValued() {
    return false;
  }

  /** The single value, or {@code null} when the context has none. */
  String value(PolicyContext context);

  /** All values of a multi-valued key (empty when absent). */
  default Collection<String> values(PolicyContext context) {
    String value = value(context);
    return value == null ? List.of() : List.of(value);
  }

  /** Whether this key may appear as a policy variable in a Resource (not only in a Condition). */
  default boolean allowedInResource() {
    return true;
  }

  /**
   * A key holding a set of values: usable only in a Condition (with set operators), never as a
   * single value or a Resource variable (§5.4).
   */
  sealed interface MultiValuedKey extends ContextKey {
    @Override
    default boolean multiValued() {
      return true;
    }

    @Override
    default boolean allowedInResource() {
      return false;
    }

    @Override
    default String value(PolicyContext context) {
      throw new UnsupportedOperationException("multi-valued key " + name());
    }

    /** All values (empty when absent); every multi-valued key must say where they come from. */
    @Override
    Collection<String> values(PolicyContext context);
  }

  /** {@code iot:ClientId}. */
  record ClientId() implements ContextKey {
    @Override
    public String name() {
      return "iot:ClientId";
    }

    @Override
    public String value(PolicyContext context) {
      return context.clientId();
    }
  }

  /** {@code iot:Connection.Thing.ThingName}. */
  record ThingName() implements ContextKey {
    @Override
    public String name() {
      return "iot:Connection.Thing.ThingName";
    }

    @Override
    public String value(PolicyContext context) {
      return context.attachedThingName().orElse(null);
    }
  }

  /** {@code iot:Connection.Thing.ThingTypeName}. */
  record ThingTypeName() implements ContextKey {
    @Override
    public String name() {
      return "iot:Connection.Thing.ThingTypeName";
    }

    @Override
    public String value(PolicyContext context) {
      return context.attachedThingName().isPresent() ? context.thingTypeName().orElse(null) : null;
    }
  }

  /** {@code iot:Connection.Thing.Attributes[attribute]}. */
  record ThingAttribute(String attribute) implements ContextKey {
    @Override
    public String name() {
      return "iot:Connection.Thing.Attributes[" + attribute + "]";
    }

    @Override
    public String value(PolicyContext context) {
      return context.attachedThingName().isPresent()
          ? context.thingAttributes().get(attribute)
          : null;
    }
  }

  /** {@code iot:Connection.Thing.IsAttached}: always known, "true" or "false". */
  record ThingIsAttached() implements ContextKey {
    @Override
    public String name() {
      return "iot:Connection.Thing.IsAttached";
    }

    @Override
    public String value(PolicyContext context) {
      return context.thingAttached() && context.thingName().isPresent() ? "true" : "false";
    }
  }

  /**
   * {@code iot:Certificate.<field>} or {@code iot:Certificate.<field>.<index>}: index 0 is the
   * first value (no suffix), {@code .1} the second and so on (§5.4).
   */
  record CertificateValue(String field, int index) implements ContextKey {
    @Override
    public String name() {
      return "iot:Certificate." + field + (index == 0 ? "" : "." + index);
    }

    @Override
    public String value(PolicyContext context) {
      List<String> all = context.certificateValues().get(field);
      return all != null && index < all.size() ? all.get(index) : null;
    }
  }

  /** {@code iot:Certificate.<field>.List}: all values, capped at five (§5.4). */
  record CertificateList(String field) implements MultiValuedKey {
    @Override
    public String name() {
      return "iot:Certificate." + field + ".List";
    }

    @Override
    public Collection<String> values(PolicyContext context) {
      List<String> all = context.certificateValues().getOrDefault(field, List.of());
      return all.size() <= MAX_CERTIFICATE_VALUES ? all : all.subList(0, MAX_CERTIFICATE_VALUES);
    }
  }

  /** {@code aws:SourceIp}: Condition only (§5.4). */
  record SourceIp() implements ContextKey {
    @Override
    public String name() {
      return "aws:SourceIp";
    }

    @Override
    public boolean allowedInResource() {
      return false;
    }

    @Override
    public String value(PolicyContext context) {
      return context.sourceIp().orElse(null);
    }
  }

  /** {@code iot:ConnectAttributes}: the set of CONNECT features in use (§5.4). */
  record ConnectAttributes() implements MultiValuedKey {
    @Override
    public String name() {
      return "iot:ConnectAttributes";
    }

    @Override
    public Collection<String> values(PolicyContext context) {
      return context.connectAttributes();
    }
  }

  /** Distinguished-name attributes AWS exposes for Subject and Issuer (§5.4). */
  Set<String> DN_ATTRIBUTES =
      Set.of(
          "DistinguishedNameQualifier",
          "Country",
          "Organization",
          "OrganizationalUnit",
          "State",
          "CommonName",
          "SerialNumber",
          "Title",
          "Surname",
          "GivenName",
          "Initials",
          "Pseudonym",
          "GenerationQualifier");

  /** Subject/Issuer alternative-name kinds AWS exposes (§5.4). */
  Set<String> ALT_NAME_KINDS =
      Set.of("RFC822Name", "DNSName", "DirectoryName", "UniformResourceIdentifier", "IPAddress");

  /**
   * Parses a key name.
   *
   * @throws IllegalArgumentException with a reason when the name is not a supported key
   */
  static ContextKey parse(String name) {
    switch (name) {
      case "iot:ClientId":
        return new ClientId();
      case "iot:Connection.Thing.ThingName":
        return new ThingName();
      case "iot:Connection.Thing.ThingTypeName":
        return new ThingTypeName();
      case "iot:Connection.Thing.IsAttached":
        return new ThingIsAttached();
      case "aws:SourceIp":
        return new SourceIp();
      case "iot:ConnectAttributes":
        return new ConnectAttributes();
      default:
        break;
    }
    String attributePrefix = "iot:Connection.Thing.Attributes[";
    if (name.startsWith(attributePrefix) && name.endsWith("]")) {
      String attribute = name.substring(attributePrefix.length(), name.length() - 1);
      if (attribute.isEmpty() || attribute.contains("[") || attribute.contains("]")) {
        throw new IllegalArgumentException("'" + name + "' has an invalid attribute name");
      }
      return new ThingAttribute(attribute);
    }
    String certificatePrefix = "iot:Certificate.";
    if (name.startsWith(certificatePrefix)) {
      return parseCertificateKey(name, name.substring(certificatePrefix.length()));
    }
    throw new IllegalArgumentException("'" + name + "' is not a supported key");
  }

  private static ContextKey parseCertificateKey(String name, String rest) {
    if (isCertificateField(rest)) {
      return new CertificateValue(rest, 0);
    }
    int dot = rest.lastIndexOf('.');
    if (dot > 0 && isCertificateField(rest.substring(0, dot))) {
      String field = rest.substring(0, dot);
      String suffix = rest.substring(dot + 1);
      if (suffix.equals("List")) {
        return new CertificateList(field);
      }
      if (suffix.matches("[0-9]+")) {
        int index = suffix.length() > 2 ? Integer.MAX_VALUE : Integer.parseInt(suffix);
        // §5.4: ".1" is the second value and arrays are capped at five items, so only .1-.4 can
        // ever resolve; anything else is a mistake worth reporting at create time.
        if (index < 1 || index >= MAX_CERTIFICATE_VALUES) {
          throw new IllegalArgumentException(
              "'" + name + "': index must be 1 to " + (MAX_CERTIFICATE_VALUES - 1));
        }
        return new CertificateValue(field, index);
      }
    }
    throw new IllegalArgumentException("'" + name + "' is not a supported certificate key");
  }

  private static boolean isCertificateField(String field) {
    if (field.equals("SerialNumber") || field.equals("AvailableKeys")) {
      return true;
    }
    for (String side : new String[] {"Subject.", "Issuer."}) {
      if (field.startsWith(side)) {
        String attribute = field.substring(side.length());
        if (DN_ATTRIBUTES.contains(attribute)) {
          return true;
        }
        String altPrefix = "AlternativeName.";
        if (attribute.startsWith(altPrefix)
            && ALT_NAME_KINDS.contains(attribute.substring(altPrefix.length()))) {
          return true;
        }
      }
    }
    return false;
  }
}
