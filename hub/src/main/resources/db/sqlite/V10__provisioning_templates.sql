-- Fleet-provisioning templates (AWS provisioning template JSON, reference section 1.4).

CREATE TABLE provisioning_templates (
  name TEXT PRIMARY KEY,
  body TEXT NOT NULL,
  description TEXT NOT NULL,
  enabled INTEGER NOT NULL,
  pre_provisioning_hook TEXT,
  version BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
