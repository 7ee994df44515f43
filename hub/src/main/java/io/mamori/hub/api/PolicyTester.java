package io.mamori.hub.api;

import java.util.Optional;

/**
 * Answers "would this certificate be allowed this action on this resource?" with the same policy
 * evaluation the broker uses, so operators can check a policy before a device runs into it.
 */
@FunctionalInterface
public interface PolicyTester {

  /**
   * Evaluates the policies attached to a certificate.
   *
   * @param certificateId the certificate whose attached policies (and thing) are evaluated
   * @param action one of {@code iot:Connect}, {@code iot:Publish}, {@code iot:Subscribe}, {@code
   *     iot:Receive}, {@code iot:RetainPublish}
   * @param resource a full ARN ({@code arn:aws:iot:REGION:ACCOUNT:topic/a/b}) or its short form
   *     without the ARN prefix ({@code topic/a/b}, {@code topicfilter/a/#}, {@code client/id}),
   *     which the tester completes with the hub's region and account
   * @param clientId the MQTT client id to assume for {@code ${iot:ClientId}}; when empty the tester
   *     picks one (e.g. the client id of an {@code iot:Connect} resource, or the thing name)
   * @throws io.mamori.hub.registry.RegistryException NOT_FOUND for an unknown certificate, INVALID
   *     for a malformed action or resource
   */
  PolicyTestResult test(
      String certificateId, String action, String resource, Optional<String> clientId);
}
