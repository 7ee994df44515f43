package io.mamori.hub.defender;

/**
 * One result of a configuration audit check (AWS IoT Device Defender audit, reference §8.1).
 *
 * @param check the AWS check name, e.g. {@code IOT_POLICY_OVERLY_PERMISSIVE_CHECK}
 * @param severity how bad, as AWS rates the check
 * @param reasonCode the AWS reason code, e.g. {@code ALLOWS_BROAD_ACCESS_TO_IOT_DATA_PLANE_ACTIONS}
 * @param resourceType {@code POLICY}, {@code DEVICE_CERTIFICATE}, {@code CA_CERTIFICATE}, {@code
 *     CLIENT_ID}, {@code ACCOUNT_SETTINGS}
 * @param resourceId the policy name, certificate id or client id
 * @param reason why, in words an operator can act on (which statement, which date, which key)
 */
public record AuditFinding(
    String check,
    Severity severity,
    String reasonCode,
    String resourceType,
    String resourceId,
    String reason) {

  /** Severities of §8.1. */
  public enum Severity {
    CRITICAL,
    HIGH,
    MEDIUM,
    LOW
  }
}
