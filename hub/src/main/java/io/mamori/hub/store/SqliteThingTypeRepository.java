package io.mamori.hub.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mamori.hub.groups.ThingType;
import io.mamori.hub.groups.ThingTypeRepository;
import io.mamori.hub.registry.RegistryException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Thing types in SQLite; searchable attribute names are one JSON array per row. */
public final class SqliteThingTypeRepository implements ThingTypeRepository {
  private static final TypeReference<List<String>> NAMES = new TypeReference<>() {};
  private static final String COLUMNS =
      "name, description, searchable_attributes, deprecated_at, created_at";

  private final SqliteDatabase db;
  private final ObjectMapper json = new ObjectMapper();

  public SqliteThingTypeRepository(SqliteDatabase db) {
    this.db = db;
  }

  @Override
  public void insert(ThingType type) {
    try {
      db.update(
          "INSERT INTO thing_types (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?)",
          type.name(),
          type.description().orElse(null),
          toJson(type.searchableAttributes()),
          type.deprecatedAt().orElse(null),
          type.createdAt());
    } catch (StoreException e) {
      if (e.kind() == StoreException.Kind.DUPLICATE_KEY) {
        throw RegistryException.conflict("thing type " + type.name() + " already exists");
      }
      throw e;
    }
  }

  @Override
  public Optional<ThingType> find(String name) {
    return db.queryOne("SELECT " + COLUMNS + " FROM thing_types WHERE name = ?", this::type, name);
  }

  @Override
  public List<ThingType> list() {
    return db.query("SELECT " + COLUMNS + " FROM thing_types ORDER BY name", this::type);
  }

  @Override
  public boolean setDeprecated(String name, Optional<Instant> at) {
    return db.update(
            "UPDATE thing_types SET deprecated_at = ? WHERE name = ?", at.orElse(null), name)
        > 0;
  }

  @Override
  public boolean delete(String name) {
    return db.update("DELETE FROM thing_types WHERE name = ?", name) > 0;
  }

  @Override
  public long thingsOfType(String name) {
    return db.queryOne(
            "SELECT COUNT(*) FROM things WHERE thing_type = ?", row -> row.getLong(1), name)
        .orElse(0L);
  }

  private ThingType type(ResultSet row) throws SQLException {
    long deprecated = row.getLong("deprecated_at");
    Optional<Instant> deprecatedAt =
        row.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(deprecated));
    return new ThingType(
        row.getString("name"),
        Optional.ofNullable(row.getString("description")),
        fromJson(row.getString("searchable_attributes")),
        deprecatedAt,
        Instant.ofEpochMilli(row.getLong("created_at")));
  }

  private String toJson(List<String> names) {
    try {
      return json.writeValueAsString(names);
    } catch (JsonProcessingException e) {
      throw new StoreException(StoreException.Kind.FAILURE, "cannot encode attribute names", e);
    }
  }

  private List<String> fromJson(String text) {
    try {
      return json.readValue(text, NAMES);
    } catch (JsonProcessingException e) {
      throw new StoreException(StoreException.Kind.FAILURE, "stored names are not JSON", e);
    }
  }
}
