package io.mamori.hub.registry;

import java.util.Optional;

/**
 * AWS RegisterCertificate: a device certificate issued by a registered CA (or the hub's own).
 *
 * @param certificatePem the device certificate in PEM (further certificates after it are ignored)
 * @param caCertificateId the issuing CA; found by issuer name and signature when absent
 * @param status ACTIVE, INACTIVE (the AWS default) or REVOKED
 * @param thingName an existing thing to attach the certificate to, in the same transaction
 * @param policyName an existing policy to attach, in the same transaction
 */
public record RegisterCertificateRequest(
    String certificatePem,
    Optional<String> caCertificateId,
    CertificateStatus status,
    Optional<String> thingName,
    Optional<String> policyName) {

  /** Registration alone, as AWS RegisterCertificate does it. */
  public RegisterCertificateRequest(
      String certificatePem, Optional<String> caCertificateId, CertificateStatus status) {
    this(certificatePem, caCertificateId, status, Optional.empty(), Optional.empty());
  }
}
