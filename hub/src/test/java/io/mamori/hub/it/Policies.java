package io.mamori.hub.it;

/** Policy documents the integration tests use, in the shape AWS recommends (reference §5.5). */
final class Policies {
  private Policies() {}

  /** Each device may use only {@code devices/<its thing name>/...}. */
  static final String DEVICE =
      """
      {"Version": "2012-10-17", "Statement": [
       {"Effect": "Allow", "Action": "iot:Connect",
        "Resource": "arn:aws:iot:*:*:client/${iot:Connection.Thing.ThingName}",
        "Condition": {"Bool": {"iot:Connection.Thing.IsAttached": "true"}}},
       {"Effect": "Allow", "Action": ["iot:Publish", "iot:Receive", "iot:RetainPublish"],
        "Resource": "arn:aws:iot:*:*:topic/devices/${iot:Connection.Thing.ThingName}/*"},
       {"Effect": "Allow", "Action": "iot:Subscribe",
        "Resource": "arn:aws:iot:*:*:topicfilter/devices/${iot:Connection.Thing.ThingName}/*"}]}
      """;

  /** An operator console that may read every device's topics. */
  static final String MONITOR =
      """
      {"Version": "2012-10-17", "Statement": [
       {"Effect": "Allow", "Action": "iot:Connect", "Resource": "*"},
       {"Effect": "Allow", "Action": ["iot:Subscribe"], "Resource": "arn:aws:iot:*:*:topicfilter/devices/*"},
       {"Effect": "Allow", "Action": ["iot:Receive"], "Resource": "arn:aws:iot:*:*:topic/devices/*"}]}
      """;

  /** A backend that watches AWS lifecycle events (reference §7.6), and nothing else. */
  static final String LIFECYCLE_MONITOR =
      """
      {"Version": "2012-10-17", "Statement": [
       {"Effect": "Allow", "Action": "iot:Connect", "Resource": "*"},
       {"Effect": "Allow", "Action": "iot:Subscribe", "Resource": "arn:aws:iot:*:*:topicfilter/$aws/events/*"},
       {"Effect": "Allow", "Action": "iot:Receive", "Resource": "arn:aws:iot:*:*:topic/$aws/events/*"}]}
      """;

  /** May subscribe to every lifecycle event but receive only the {@code connected} ones. */
  static final String CONNECTED_ONLY_MONITOR =
      """
      {"Version": "2012-10-17", "Statement": [
       {"Effect": "Allow", "Action": "iot:Connect", "Resource": "*"},
       {"Effect": "Allow", "Action": "iot:Subscribe", "Resource": "arn:aws:iot:*:*:topicfilter/$aws/events/*"},
       {"Effect": "Allow", "Action": "iot:Receive", "Resource": "arn:aws:iot:*:*:topic/$aws/events/presence/connected/*"}]}
      """;
}
