-- Device shadows (reference §4): one row per classic ('' name) or named shadow. State and metadata
-- are JSON text. A deleted shadow keeps its row (deleted = TRUE, empty trees) because the version
-- counter continues when it is created again; deleting the thing deletes its shadows.

CREATE TABLE shadows (
  thing_name VARCHAR(128) NOT NULL REFERENCES things (name) ON DELETE CASCADE,
  shadow_name VARCHAR(64) NOT NULL,
  state TEXT NOT NULL,
  metadata TEXT NOT NULL,
  version BIGINT NOT NULL,
  deleted BOOLEAN NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (thing_name, shadow_name)
);
