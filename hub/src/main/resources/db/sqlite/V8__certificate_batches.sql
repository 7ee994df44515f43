-- Bulk issuance: which public key got which certificate in which batch. Written in the same
-- transaction as the certificate, so a batch sent again after a crash gets the certificate already
-- issued for a key instead of a second one.
CREATE TABLE certificate_batch_keys (
  batch_id VARCHAR(128) NOT NULL,
  public_key_sha256 CHAR(64) NOT NULL,
  certificate_id CHAR(64) NOT NULL REFERENCES certificates (id) ON DELETE CASCADE,
  PRIMARY KEY (batch_id, public_key_sha256)
);
