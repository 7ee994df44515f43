-- Device management (reference §9.1-9.3): thing types, thing groups in a hierarchy, static
-- memberships and the policies attached to groups. Portable SQL as in V1. Dynamic group
-- memberships are not stored: they are derived from the group's query and the live fleet.

CREATE TABLE thing_types (
  name VARCHAR(128) NOT NULL PRIMARY KEY,
  description TEXT,
  searchable_attributes TEXT NOT NULL,
  deprecated_at BIGINT,
  created_at BIGINT NOT NULL
);

-- RESTRICT on the parent: a group with sub-groups cannot be deleted (the service says so first).
CREATE TABLE thing_groups (
  name VARCHAR(128) NOT NULL PRIMARY KEY,
  parent_name VARCHAR(128) REFERENCES thing_groups (name) ON DELETE RESTRICT,
  description TEXT,
  attributes TEXT NOT NULL,
  query_string TEXT,
  version BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);

CREATE INDEX thing_groups_by_parent ON thing_groups (parent_name);

CREATE TABLE thing_group_members (
  group_name VARCHAR(128) NOT NULL REFERENCES thing_groups (name) ON DELETE CASCADE,
  thing_name VARCHAR(128) NOT NULL REFERENCES things (name) ON DELETE CASCADE,
  PRIMARY KEY (group_name, thing_name)
);

CREATE INDEX thing_group_members_by_thing ON thing_group_members (thing_name);

-- RESTRICT: a policy attached to a group cannot be deleted, as with certificates.
CREATE TABLE policy_thing_groups (
  policy_name VARCHAR(128) NOT NULL REFERENCES policies (name) ON DELETE RESTRICT,
  group_name VARCHAR(128) NOT NULL REFERENCES thing_groups (name) ON DELETE CASCADE,
  PRIMARY KEY (policy_name, group_name)
);

CREATE INDEX policy_thing_groups_by_group ON policy_thing_groups (group_name);
