-- Manufacturers' CA certificates registered with the hub (AWS RegisterCACertificate) and the
-- hub's registration code for proof of possession (AWS GetRegistrationCode).

CREATE TABLE ca_certificates (
  id CHAR(64) NOT NULL PRIMARY KEY,
  pem TEXT NOT NULL,
  status VARCHAR(32) NOT NULL CHECK (status IN ('ACTIVE', 'INACTIVE', 'REVOKED')),
  certificate_mode VARCHAR(16) NOT NULL CHECK (certificate_mode IN ('DEFAULT', 'SNI_ONLY')),
  auto_registration_status VARCHAR(16) NOT NULL
    CHECK (auto_registration_status IN ('ENABLE', 'DISABLE')),
  -- JSON object {"templateBody": ..., "templateName": ..., "roleArn": ...}; NULL when none.
  -- Read by just-in-time provisioning (JITP); without it auto-registration is JITR.
  registration_config TEXT,
  subject TEXT NOT NULL,
  serial_number VARCHAR(128) NOT NULL,
  not_before BIGINT NOT NULL,
  not_after BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);

-- Device certificates are found by their CA (refusing a CA delete, cutting off a CA's devices).
CREATE INDEX certificates_by_ca ON certificates (ca_certificate_id);
CREATE INDEX certificates_by_not_after ON certificates (not_after);

-- One row: the code stays the same for the life of the hub, as AWS keeps one per account.
CREATE TABLE ca_registration_code (
  id INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
  code CHAR(64) NOT NULL,
  created_at BIGINT NOT NULL
);

-- Which certificate.expiring events were raised: at most one per certificate and warning window
-- (e.g. 30, 7, 1 days), also across restarts, so the hourly check does not repeat itself.
CREATE TABLE certificate_expiry_notices (
  certificate_id CHAR(64) NOT NULL,
  window_days INTEGER NOT NULL,
  not_after BIGINT NOT NULL,
  reported_at BIGINT NOT NULL,
  PRIMARY KEY (certificate_id, window_days)
);
