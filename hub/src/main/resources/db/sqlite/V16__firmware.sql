-- Firmware images for OTA jobs: the bytes live in DATA/firmware/<sha256>, named by their hash;
-- this table records what was uploaded, its size, hash and the code-signing key's signature.

CREATE TABLE firmware (
  firmware_id TEXT PRIMARY KEY,
  version TEXT NOT NULL UNIQUE,
  size_bytes BIGINT NOT NULL,
  sha256 TEXT NOT NULL,
  signature BLOB NOT NULL,
  created_at BIGINT NOT NULL
);
