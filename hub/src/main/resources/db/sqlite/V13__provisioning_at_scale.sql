-- Genuine device identities (a manufacturer's list; templates may require one per device) and
-- the lines of bulk registrations already applied (re-runs report them instead of repeating).

CREATE TABLE genuine_identities (
  kind TEXT NOT NULL,
  value TEXT NOT NULL,
  status TEXT NOT NULL,
  thing_name TEXT,
  certificate_id TEXT,
  imported_at BIGINT NOT NULL,
  used_at BIGINT,
  revoked_at BIGINT,
  PRIMARY KEY (kind, value)
);

CREATE TABLE bulk_registrations (
  template_name TEXT NOT NULL,
  line_hash CHAR(64) NOT NULL,
  thing_name TEXT,
  certificate_id CHAR(64) NOT NULL REFERENCES certificates (id) ON DELETE CASCADE,
  registered_at BIGINT NOT NULL,
  PRIMARY KEY (template_name, line_hash)
);
