-- Revocation details for CRLs and OCSP (RFC 5280 §5.3, RFC 6960 §4.2.1): when and why a certificate
-- was revoked, and the CRL numbers each CA has used (RFC 5280 §5.2.3: monotonically increasing,
-- also across restarts).

ALTER TABLE certificates ADD COLUMN revoked_at BIGINT;
-- RFC 5280 CRLReason code; 0 is unspecified
ALTER TABLE certificates ADD COLUMN revocation_reason INTEGER;

-- Certificates revoked before this migration: the last status change is the best revocation date.
UPDATE certificates SET revoked_at = updated_at, revocation_reason = 0 WHERE status = 'REVOKED';

-- OCSP looks certificates up by issuer and serial.
CREATE INDEX certificates_by_serial ON certificates (ca_certificate_id, serial_number);

CREATE TABLE crl_numbers (
  ca_certificate_id CHAR(64) NOT NULL PRIMARY KEY,
  last_number BIGINT NOT NULL
);
