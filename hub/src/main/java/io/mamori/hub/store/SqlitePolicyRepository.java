package io.mamori.hub.store;

import io.mamori.hub.registry.Policy;
import io.mamori.hub.registry.PolicyRepository;
import io.mamori.hub.registry.RegistryException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Named policies in SQLite: every document ever stored is kept as a numbered version in {@code
 * policy_versions}; {@code policies.default_version} says which one is in force.
 */
public final class SqlitePolicyRepository implements PolicyRepository {
  private static final String SELECT =
      "SELECT p.name, v.document, p.default_version, p.created_at, p.updated_at"
          + " FROM policies p JOIN policy_versions v"
          + " ON v.policy_name = p.name AND v.version = p.default_version";

  private final SqliteDatabase db;
  private final LinkTable certificates;

  public SqlitePolicyRepository(SqliteDatabase db) {
    this.db = db;
    this.certificates = new LinkTable(db, "policy_certificates", "policy_name", "certificate_id");
  }

  /** Stores the policy with its document as version 1, the default. */
  @Override
  public void insert(Policy policy) {
    try {
      db.inTransaction(
          () -> {
            db.update(
                "INSERT INTO policies (name, default_version, created_at, updated_at)"
                    + " VALUES (?, 1, ?, ?)",
                policy.name(),
                policy.createdAt(),
                policy.updatedAt());
            insertVersion(policy.name(), 1, policy.document(), policy.createdAt());
          });
    } catch (StoreException e) {
      if (e.kind() == StoreException.Kind.DUPLICATE_KEY) {
        throw new RegistryException(
            RegistryException.Kind.CONFLICT, "policy " + policy.name() + " already exists", e);
      }
      throw e;
    }
  }

  @Override
  public Policy addVersion(String name, String document, Instant at) {
    return db.inTransaction(
        () -> {
          int latest =
              db.queryOne(
                      "SELECT MAX(version) FROM policy_versions WHERE policy_name = ?",
                      row -> row.getInt(1),
                      name)
                  .orElse(0);
          if (latest == 0) {
            throw RegistryException.notFound("policy " + name);
          }
          int next = latest + 1;
          insertVersion(name, next, document, at);
          db.update(
              "UPDATE policies SET default_version = ?, updated_at = ? WHERE name = ?",
              next,
              at,
              name);
          return find(name).orElseThrow();
        });
  }

  private void insertVersion(String name, int version, String document, Instant at) {
    db.update(
        "INSERT INTO policy_versions (policy_name, version, document, created_at)"
            + " VALUES (?, ?, ?, ?)",
        name,
        version,
        document,
        at);
  }

  @Override
  public Optional<Policy> find(String name) {
    return db.queryOne(SELECT + " WHERE p.name = ?", SqlitePolicyRepository::policy, name);
  }

  @Override
  public List<Policy> list() {
    return db.query(SELECT + " ORDER BY p.name", SqlitePolicyRepository::policy);
  }

  /** Deletes the policy and all its versions; refused (CONFLICT) while it is attached. */
  @Override
  public boolean delete(String name) {
    try {
      return db.update("DELETE FROM policies WHERE name = ?", name) > 0;
    } catch (StoreException e) {
      if (e.kind() == StoreException.Kind.FOREIGN_KEY) {
        throw new RegistryException(
            RegistryException.Kind.CONFLICT,
            "policy " + name + " is attached to certificates or thing groups; detach it first",
            e);
      }
      throw e;
    }
  }

  /** Attaching twice is not an error (AWS AttachPolicy is idempotent too). */
  @Override
  public void attach(String policyName, String certificateId) {
    certificates.link(
        policyName,
        certificateId,
        e ->
            new RegistryException(
                RegistryException.Kind.NOT_FOUND,
                "policy " + policyName + " or certificate " + certificateId + " not found",
                e));
  }

  @Override
  public boolean detach(String policyName, String certificateId) {
    return certificates.unlink(policyName, certificateId);
  }

  @Override
  public List<Policy> policiesOf(String certificateId) {
    return db.query(
        SELECT
            + " JOIN policy_certificates a ON a.policy_name = p.name"
            + " WHERE a.certificate_id = ? ORDER BY p.name",
        SqlitePolicyRepository::policy,
        certificateId);
  }

  @Override
  public List<String> targetsOf(String policyName) {
    return certificates.rightsOf(policyName);
  }

  /** Maps a row holding name, document, default_version, created_at and updated_at. */
  static Policy policy(ResultSet row) throws SQLException {
    return new Policy(
        row.getString("name"),
        row.getString("document"),
        row.getInt("default_version"),
        Instant.ofEpochMilli(row.getLong("created_at")),
        Instant.ofEpochMilli(row.getLong("updated_at")));
  }
}
