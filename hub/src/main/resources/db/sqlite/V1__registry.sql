-- Registry: things, device certificates, versioned policies and their attachments.
-- Portable SQL on purpose (VARCHAR/TEXT/BIGINT, instants as epoch milliseconds, JSON as text) so
-- that the PostgreSQL scripts in db/postgresql can be the same statements.

CREATE TABLE things (
  name VARCHAR(128) NOT NULL PRIMARY KEY,
  thing_type VARCHAR(128),
  attributes TEXT NOT NULL,
  version BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);

CREATE TABLE certificates (
  id CHAR(64) NOT NULL PRIMARY KEY,
  pem TEXT NOT NULL,
  status VARCHAR(32) NOT NULL
    CHECK (status IN ('ACTIVE', 'INACTIVE', 'REVOKED', 'PENDING_ACTIVATION')),
  subject TEXT NOT NULL,
  issuer TEXT NOT NULL,
  serial_number VARCHAR(128) NOT NULL,
  not_before BIGINT NOT NULL,
  not_after BIGINT NOT NULL,
  ca_certificate_id CHAR(64) NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);

-- Deleting a thing removes its attachments; a certificate row is never deleted with a thing
-- (AWS keeps the principal, and revocation state must outlive the thing).
CREATE TABLE certificate_things (
  certificate_id CHAR(64) NOT NULL REFERENCES certificates (id) ON DELETE CASCADE,
  thing_name VARCHAR(128) NOT NULL REFERENCES things (name) ON DELETE CASCADE,
  PRIMARY KEY (certificate_id, thing_name)
);

CREATE INDEX certificate_things_by_thing ON certificate_things (thing_name);

CREATE TABLE policies (
  name VARCHAR(128) NOT NULL PRIMARY KEY,
  default_version INTEGER NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);

CREATE TABLE policy_versions (
  policy_name VARCHAR(128) NOT NULL REFERENCES policies (name) ON DELETE CASCADE,
  version INTEGER NOT NULL,
  document TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (policy_name, version)
);

-- RESTRICT: an attached policy cannot be deleted (AWS DeletePolicy refuses it too).
CREATE TABLE policy_certificates (
  policy_name VARCHAR(128) NOT NULL REFERENCES policies (name) ON DELETE RESTRICT,
  certificate_id CHAR(64) NOT NULL REFERENCES certificates (id) ON DELETE CASCADE,
  PRIMARY KEY (policy_name, certificate_id)
);

CREATE INDEX policy_certificates_by_certificate ON policy_certificates (certificate_id);
