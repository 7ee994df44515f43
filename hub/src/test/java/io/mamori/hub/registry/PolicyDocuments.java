package io.mamori.hub.registry;

/** Policy documents for tests, in AWS IoT's format. */
final class PolicyDocuments {
  static final String ALLOW_CONNECT =
      """
      {
        "Version": "2012-10-17",
        "Statement": [
          {
            "Effect": "Allow",
            "Action": "iot:Connect",
            "Resource": "arn:aws:iot:*:*:client/${iot:Connection.Thing.ThingName}"
          }
        ]
      }
      """;

  static final String ALLOW_PUBLISH =
      """
      {
        "Version": "2012-10-17",
        "Statement": [
          {
            "Effect": "Allow",
            "Action": ["iot:Publish", "iot:Receive"],
            "Resource": "arn:aws:iot:*:*:topic/devices/${iot:ClientId}/*"
          }
        ]
      }
      """;

  private PolicyDocuments() {}
}
