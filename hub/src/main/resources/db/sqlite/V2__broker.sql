-- Broker persistence: persistent MQTT sessions, their subscriptions and queued QoS 1 messages,
-- and retained messages. Payloads are BLOB here and BYTEA in the PostgreSQL script.

CREATE TABLE mqtt_sessions (
  client_id TEXT NOT NULL PRIMARY KEY,
  principal_id TEXT NOT NULL,
  expiry_interval_seconds BIGINT NOT NULL,
  -- NULL while a connection uses the session
  disconnected_at BIGINT
);

CREATE TABLE mqtt_subscriptions (
  client_id TEXT NOT NULL REFERENCES mqtt_sessions (client_id) ON DELETE CASCADE,
  topic_filter TEXT NOT NULL,
  qos INTEGER NOT NULL,
  PRIMARY KEY (client_id, topic_filter)
);

-- No foreign key to mqtt_sessions, so that queueing never depends on the session row having been
-- written first; SessionStore.delete removes a session's queue explicitly.
CREATE TABLE mqtt_queued_messages (
  client_id TEXT NOT NULL,
  sequence BIGINT NOT NULL,
  topic TEXT NOT NULL,
  payload BLOB NOT NULL,
  qos INTEGER NOT NULL,
  retain BOOLEAN NOT NULL,
  queued_at BIGINT NOT NULL,
  PRIMARY KEY (client_id, sequence)
);

CREATE TABLE mqtt_retained_messages (
  topic TEXT NOT NULL PRIMARY KEY,
  payload BLOB NOT NULL,
  qos INTEGER NOT NULL,
  stored_at BIGINT NOT NULL
);
