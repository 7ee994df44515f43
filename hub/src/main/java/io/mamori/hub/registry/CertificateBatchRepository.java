package io.mamori.hub.registry;

import java.util.Optional;

/**
 * Which public key got which certificate in a bulk issuance batch, so that a batch sent again
 * (after a crash or an interruption) never issues a second certificate for the same key.
 */
public interface CertificateBatchRepository {
  /** The certificate issued in {@code batchId} for the key with this SPKI SHA-256, if any. */
  Optional<String> find(String batchId, String publicKeySha256);

  /** Records the issue; call in the transaction that inserts the certificate. */
  void record(String batchId, String publicKeySha256, String certificateId);
}
