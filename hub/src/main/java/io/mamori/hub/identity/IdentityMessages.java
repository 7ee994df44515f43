package io.mamori.hub.identity;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The payloads of the MQTT identity API (reference §1.2), with AWS's exact keys. The same keys are
 * used as text-string map keys in CBOR.
 */
public final class IdentityMessages {
  private IdentityMessages() {}

  /** {@code $aws/certificates/create/<fmt>/accepted}: the hub generated the key pair. */
  @JsonPropertyOrder({"certificateId", "certificatePem", "privateKey", "certificateOwnershipToken"})
  public record CreateKeysAndCertificateResponse(
      String certificateId,
      String certificatePem,
      String privateKey,
      String certificateOwnershipToken) {}

  /** {@code $aws/certificates/create-from-csr/<fmt>/accepted}: the device keeps its key. */
  @JsonPropertyOrder({"certificateOwnershipToken", "certificateId", "certificatePem"})
  public record CreateCertificateFromCsrResponse(
      String certificateOwnershipToken, String certificateId, String certificatePem) {}

  /** Every {@code .../rejected} answer (SDK model {@code ErrorResponse}). */
  @JsonPropertyOrder({"statusCode", "errorCode", "errorMessage"})
  public record ErrorResponse(int statusCode, String errorCode, String errorMessage) {}
}
