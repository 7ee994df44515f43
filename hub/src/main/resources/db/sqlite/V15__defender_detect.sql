-- Device Defender Detect: security profiles and their targets, alarms with their history, and the
-- device-side metrics reports devices sent.

CREATE TABLE defender_security_profiles (
  name TEXT PRIMARY KEY,
  document TEXT NOT NULL,
  targets TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);

CREATE TABLE defender_alarms (
  id TEXT PRIMARY KEY,
  thing TEXT NOT NULL,
  profile TEXT NOT NULL,
  behavior TEXT NOT NULL,
  metric TEXT NOT NULL,
  state TEXT NOT NULL,
  value DOUBLE PRECISION NOT NULL,
  threshold DOUBLE PRECISION NOT NULL,
  verification TEXT NOT NULL,
  verification_note TEXT NOT NULL,
  raised_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX defender_alarms_state ON defender_alarms (state, raised_at);

CREATE TABLE defender_alarm_history (
  alarm_id TEXT NOT NULL REFERENCES defender_alarms (id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  at BIGINT NOT NULL,
  change TEXT NOT NULL,
  actor TEXT NOT NULL,
  note TEXT NOT NULL,
  value DOUBLE PRECISION NOT NULL,
  PRIMARY KEY (alarm_id, seq)
);

CREATE TABLE defender_device_reports (
  thing TEXT NOT NULL,
  report_id BIGINT NOT NULL,
  received_at BIGINT NOT NULL,
  metrics TEXT NOT NULL
);
CREATE INDEX defender_device_reports_thing ON defender_device_reports (thing, received_at);
