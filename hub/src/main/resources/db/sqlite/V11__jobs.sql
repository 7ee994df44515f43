-- Jobs (reference §3): a job's document and targets, and one execution per targeted thing. Times
-- are epoch seconds, as devices see them. queue_order keeps the order executions were queued in,
-- which decides the "next" job of a thing when several were queued in the same second.

CREATE TABLE jobs (
  job_id VARCHAR(64) NOT NULL PRIMARY KEY,
  description TEXT NOT NULL,
  document TEXT NOT NULL,
  target_selection VARCHAR(16) NOT NULL,
  abort_config TEXT NOT NULL,
  in_progress_timeout_minutes BIGINT,
  status VARCHAR(32) NOT NULL,
  force_canceled BOOLEAN NOT NULL,
  created_at BIGINT NOT NULL,
  last_updated_at BIGINT NOT NULL,
  completed_at BIGINT
);

CREATE TABLE job_targets (
  job_id VARCHAR(64) NOT NULL REFERENCES jobs (job_id) ON DELETE CASCADE,
  kind VARCHAR(8) NOT NULL,
  name VARCHAR(128) NOT NULL,
  PRIMARY KEY (job_id, kind, name)
);

CREATE TABLE job_executions (
  job_id VARCHAR(64) NOT NULL REFERENCES jobs (job_id) ON DELETE CASCADE,
  thing_name VARCHAR(128) NOT NULL REFERENCES things (name) ON DELETE CASCADE,
  status VARCHAR(16) NOT NULL,
  status_details TEXT NOT NULL,
  queued_at BIGINT NOT NULL,
  started_at BIGINT,
  last_updated_at BIGINT NOT NULL,
  version_number BIGINT NOT NULL,
  execution_number BIGINT NOT NULL,
  queue_order BIGINT NOT NULL,
  PRIMARY KEY (job_id, thing_name)
);

CREATE INDEX job_executions_by_thing ON job_executions (thing_name, status);
CREATE INDEX job_targets_by_name ON job_targets (kind, name);
