package io.mamori.hub.store;

import io.mamori.hub.provisioning.ProvisioningTemplate;
import io.mamori.hub.provisioning.ProvisioningTemplateRepository;
import io.mamori.hub.registry.RegistryException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Provisioning templates in SQLite. */
public final class SqliteProvisioningTemplateRepository implements ProvisioningTemplateRepository {
  private static final String COLUMNS =
      "name, body, description, enabled, pre_provisioning_hook, version, created_at, updated_at";

  private final SqliteDatabase db;

  public SqliteProvisioningTemplateRepository(SqliteDatabase db) {
    this.db = db;
  }

  @Override
  public void insert(ProvisioningTemplate t) {
    try {
      db.update(
          "INSERT INTO provisioning_templates (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
          t.name(),
          t.body(),
          t.description(),
          t.enabled() ? 1 : 0,
          t.preProvisioningHook().orElse(null),
          t.version(),
          t.createdAt(),
          t.updatedAt());
    } catch (StoreException e) {
      if (e.kind() == StoreException.Kind.DUPLICATE_KEY) {
        throw new RegistryException(
            RegistryException.Kind.CONFLICT,
            "provisioning template " + t.name() + " already exists",
            e);
      }
      throw e;
    }
  }

  @Override
  public void update(ProvisioningTemplate t) {
    int changed =
        db.update(
            "UPDATE provisioning_templates SET body = ?, description = ?, enabled = ?,"
                + " pre_provisioning_hook = ?, version = ?, updated_at = ? WHERE name = ?",
            t.body(),
            t.description(),
            t.enabled() ? 1 : 0,
            t.preProvisioningHook().orElse(null),
            t.version(),
            t.updatedAt(),
            t.name());
    if (changed == 0) {
      throw RegistryException.notFound("provisioning template " + t.name());
    }
  }

  @Override
  public Optional<ProvisioningTemplate> find(String name) {
    return db.queryOne(
        "SELECT " + COLUMNS + " FROM provisioning_templates WHERE name = ?", this::template, name);
  }

  @Override
  public List<ProvisioningTemplate> list() {
    return db.query(
        "SELECT " + COLUMNS + " FROM provisioning_templates ORDER BY name", this::template);
  }

  @Override
  public boolean delete(String name) {
    return db.update("DELETE FROM provisioning_templates WHERE name = ?", name) > 0;
  }

  private ProvisioningTemplate template(ResultSet row) throws SQLException {
    return new ProvisioningTemplate(
        row.getString(1),
        row.getString(2),
        row.getString(3),
        row.getInt(4) != 0,
        Optional.ofNullable(row.getString(5)),
        row.getLong(6),
        Instant.ofEpochMilli(row.getLong(7)),
        Instant.ofEpochMilli(row.getLong(8)));
  }
}
