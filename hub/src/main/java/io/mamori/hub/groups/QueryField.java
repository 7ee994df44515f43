package io.mamori.hub.groups;

import java.util.Optional;

/**
 * A field a fleet query may name (reference §9.4); names are case-sensitive as in AWS.
 *
 * @param key the attribute name or shadow path for keyed fields, else empty
 */
record QueryField(Kind kind, String key) {
  enum Kind {
    THING_NAME,
    THING_TYPE_NAME,
    THING_GROUP_NAMES,
    ATTRIBUTE,
    CONNECTED,
    TIMESTAMP,
    DISCONNECT_REASON,
    SHADOW_REPORTED
  }

  static final String KNOWN =
      "thingName, thingTypeName, thingGroupNames, attributes.<name>, connectivity.connected,"
          + " connectivity.timestamp, connectivity.disconnectReason, shadow.reported.<path>";

  private static final String ATTRIBUTES = "attributes.";
  private static final String SHADOW_REPORTED = "shadow.reported.";

  static Optional<QueryField> parse(String name) {
    switch (name) {
      case "thingName":
        return Optional.of(new QueryField(Kind.THING_NAME, ""));
      case "thingTypeName":
        return Optional.of(new QueryField(Kind.THING_TYPE_NAME, ""));
      case "thingGroupNames":
        return Optional.of(new QueryField(Kind.THING_GROUP_NAMES, ""));
      case "connectivity.connected":
        return Optional.of(new QueryField(Kind.CONNECTED, ""));
      case "connectivity.timestamp":
        return Optional.of(new QueryField(Kind.TIMESTAMP, ""));
      case "connectivity.disconnectReason":
        return Optional.of(new QueryField(Kind.DISCONNECT_REASON, ""));
      default:
        break;
    }
    if (name.startsWith(ATTRIBUTES) && name.length() > ATTRIBUTES.length()) {
      return Optional.of(new QueryField(Kind.ATTRIBUTE, name.substring(ATTRIBUTES.length())));
    }
    if (name.startsWith(SHADOW_REPORTED) && name.length() > SHADOW_REPORTED.length()) {
      return Optional.of(
          new QueryField(Kind.SHADOW_REPORTED, name.substring(SHADOW_REPORTED.length())));
    }
    return Optional.empty();
  }
}
