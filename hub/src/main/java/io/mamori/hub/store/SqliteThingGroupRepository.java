package io.mamori.hub.store;

import io.mamori.hub.groups.ThingGroup;
import io.mamori.hub.groups.ThingGroupRepository;
import io.mamori.hub.registry.Policy;
import io.mamori.hub.registry.RegistryException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Thing groups, static memberships and group policies in SQLite. */
public final class SqliteThingGroupRepository implements ThingGroupRepository {
  private static final String COLUMNS =
      "name, parent_name, description, attributes, query_string, version, created_at, updated_at";

  /**
   * The thing's static groups and all their ancestors. UNION (not UNION ALL) keeps each group once,
   * so the walk ends even if the data were ever cyclic.
   */
  private static final String LINEAGE_OF_THING =
      "WITH RECURSIVE lineage(name) AS ("
          + " SELECT group_name FROM thing_group_members WHERE thing_name = ?"
          + " UNION"
          + " SELECT g.parent_name FROM thing_groups g JOIN lineage l ON g.name = l.name"
          + " WHERE g.parent_name IS NOT NULL) ";

  private final SqliteDatabase db;
  private final AttributesJson attributes = new AttributesJson();
  private final LinkTable members;
  private final LinkTable policies;

  public SqliteThingGroupRepository(SqliteDatabase db) {
    this.db = db;
    this.members = new LinkTable(db, "thing_group_members", "group_name", "thing_name");
    this.policies = new LinkTable(db, "policy_thing_groups", "policy_name", "group_name");
  }

  @Override
  public void insert(ThingGroup group) {
    try {
      db.update(
          "INSERT INTO thing_groups (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
          group.name(),
          group.parent().orElse(null),
          group.description().orElse(null),
          attributes.write(group.attributes()),
          group.queryString().orElse(null),
          group.version(),
          group.createdAt(),
          group.updatedAt());
    } catch (StoreException e) {
      if (e.kind() == StoreException.Kind.DUPLICATE_KEY) {
        throw RegistryException.conflict("thing group " + group.name() + " already exists");
      }
      if (e.kind() == StoreException.Kind.FOREIGN_KEY) {
        throw RegistryException.notFound("parent group " + group.parent().orElse(""));
      }
      throw e;
    }
  }

  @Override
  public void update(ThingGroup group) {
    int changed =
        db.update(
            "UPDATE thing_groups SET description = ?, attributes = ?, query_string = ?,"
                + " version = ?, updated_at = ? WHERE name = ?",
            group.description().orElse(null),
            attributes.write(group.attributes()),
            group.queryString().orElse(null),
            group.version(),
            group.updatedAt(),
            group.name());
    if (changed == 0) {
      throw RegistryException.notFound("thing group " + group.name());
    }
  }

  @Override
  public Optional<ThingGroup> find(String name) {
    return db.queryOne(
        "SELECT " + COLUMNS + " FROM thing_groups WHERE name = ?", this::group, name);
  }

  @Override
  public List<ThingGroup> list() {
    return db.query("SELECT " + COLUMNS + " FROM thing_groups ORDER BY name", this::group);
  }

  @Override
  public List<String> childrenOf(String name) {
    return db.query(
        "SELECT name FROM thing_groups WHERE parent_name = ? ORDER BY name",
        row -> row.getString(1),
        name);
  }

  @Override
  public boolean delete(String name) {
    try {
      return db.update("DELETE FROM thing_groups WHERE name = ?", name) > 0;
    } catch (StoreException e) {
      if (e.kind() == StoreException.Kind.FOREIGN_KEY) {
        throw RegistryException.conflict("thing group " + name + " has sub-groups");
      }
      throw e;
    }
  }

  @Override
  public boolean addThing(String group, String thing) {
    return members.link(group, thing);
  }

  @Override
  public boolean removeThing(String group, String thing) {
    return members.unlink(group, thing);
  }

  @Override
  public List<String> thingsOf(String group) {
    return members.rightsOf(group);
  }

  @Override
  public List<String> groupsOf(String thing) {
    return members.leftsOf(thing);
  }

  @Override
  public void attachPolicy(String policyName, String group) {
    policies.link(
        policyName,
        group,
        e -> RegistryException.notFound("policy " + policyName + " or thing group " + group));
  }

  @Override
  public boolean detachPolicy(String policyName, String group) {
    return policies.unlink(policyName, group);
  }

  @Override
  public List<String> policiesOf(String group) {
    return policies.leftsOf(group);
  }

  @Override
  public List<String> groupsWithPolicy(String policyName) {
    return policies.rightsOf(policyName);
  }

  @Override
  public List<Policy> policiesOfThing(String thing) {
    return db.query(
        LINEAGE_OF_THING
            + "SELECT DISTINCT p.name, v.document, p.default_version, p.created_at, p.updated_at"
            + " FROM lineage l JOIN policy_thing_groups a ON a.group_name = l.name"
            + " JOIN policies p ON p.name = a.policy_name"
            + " JOIN policy_versions v ON v.policy_name = p.name AND v.version = p.default_version"
            + " ORDER BY p.name",
        SqlitePolicyRepository::policy,
        thing);
  }

  private ThingGroup group(ResultSet row) throws SQLException {
    return new ThingGroup(
        row.getString("name"),
        Optional.ofNullable(row.getString("parent_name")),
        Optional.ofNullable(row.getString("description")),
        attributes.read(row.getString("attributes")),
        Optional.ofNullable(row.getString("query_string")),
        row.getLong("version"),
        Instant.ofEpochMilli(row.getLong("created_at")),
        Instant.ofEpochMilli(row.getLong("updated_at")));
  }
}
