-- Job rollouts (reference §3.4 jobExecutionsRolloutConfig): an execution is QUEUED from the start
-- but its device sees it only once the rollout releases it (released_at, epoch ms), at no more than
-- the job's rate in any 60 s window. Executions that existed before rollouts were all visible.

ALTER TABLE job_executions ADD COLUMN released_at BIGINT;
UPDATE job_executions SET released_at = queued_at * 1000;
CREATE INDEX job_executions_by_release ON job_executions (job_id, released_at);

CREATE TABLE job_rollouts (
  job_id VARCHAR(64) NOT NULL PRIMARY KEY REFERENCES jobs (job_id) ON DELETE CASCADE,
  config TEXT NOT NULL,
  rate_per_minute INTEGER NOT NULL,
  increased_at BIGINT NOT NULL,
  notified_at_increase BIGINT NOT NULL,
  succeeded_at_increase BIGINT NOT NULL
);
