-- Device Defender: audit findings an operator suppressed, with the note that says why.

CREATE TABLE defender_suppressions (
  check_name TEXT NOT NULL,
  resource_id TEXT NOT NULL,
  note TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (check_name, resource_id)
);
