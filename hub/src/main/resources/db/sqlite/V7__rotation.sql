-- Certificates created over MQTT ($aws/certificates/..., reference §1.1): the ownership tokens
-- handed to the device, and the rotations waiting for the old certificate to be deactivated.

-- Only a SHA-256 of each token is kept: a copy of the database does not let anyone register a
-- thing with a certificate it does not hold. A token is used once (its row is deleted).
CREATE TABLE certificate_ownership_tokens (
  token_hash CHAR(64) NOT NULL PRIMARY KEY,
  certificate_id CHAR(64) NOT NULL REFERENCES certificates (id) ON DELETE CASCADE,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL
);

CREATE INDEX certificate_ownership_tokens_by_expiry ON certificate_ownership_tokens (expires_at);

-- A device replaced old_certificate_id by new_certificate_id; the old one is deactivated when the
-- new one first connects or at deadline_at, whichever comes first (completed_at is then set).
CREATE TABLE certificate_rotations (
  new_certificate_id CHAR(64) NOT NULL PRIMARY KEY REFERENCES certificates (id) ON DELETE CASCADE,
  old_certificate_id CHAR(64) NOT NULL REFERENCES certificates (id) ON DELETE CASCADE,
  requested_at BIGINT NOT NULL,
  deadline_at BIGINT NOT NULL,
  completed_at BIGINT,
  outcome VARCHAR(32)
);

CREATE INDEX certificate_rotations_by_old ON certificate_rotations (old_certificate_id);
CREATE INDEX certificate_rotations_by_deadline ON certificate_rotations (completed_at, deadline_at);
