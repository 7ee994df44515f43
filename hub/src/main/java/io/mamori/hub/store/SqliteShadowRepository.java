package io.mamori.hub.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mamori.hub.shadow.ShadowKey;
import io.mamori.hub.shadow.ShadowRepository;
import io.mamori.hub.shadow.StoredShadow;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Device shadows in SQLite; the classic shadow is the row whose shadow name is empty. */
public final class SqliteShadowRepository implements ShadowRepository {
  private static final String COLUMNS =
      "thing_name, shadow_name, state, metadata, version, deleted, updated_at";

  private final SqliteDatabase db;
  private final ObjectMapper json = new ObjectMapper();

  public SqliteShadowRepository(SqliteDatabase db) {
    this.db = db;
  }

  @Override
  public Optional<StoredShadow> find(ShadowKey key) {
    return db.queryOne(
        "SELECT " + COLUMNS + " FROM shadows WHERE thing_name = ? AND shadow_name = ?",
        this::shadow,
        key.thing(),
        key.name());
  }

  /** One statement, so the row is never half-written even outside a transaction. */
  @Override
  public void save(StoredShadow shadow) {
    db.update(
        "INSERT INTO shadows ("
            + COLUMNS
            + ") VALUES (?, ?, ?, ?, ?, ?, ?)"
            + " ON CONFLICT (thing_name, shadow_name) DO UPDATE SET state = excluded.state,"
            + " metadata = excluded.metadata, version = excluded.version,"
            + " deleted = excluded.deleted, updated_at = excluded.updated_at",
        shadow.key().thing(),
        shadow.key().name(),
        text(shadow.state()),
        text(shadow.metadata()),
        shadow.version(),
        shadow.deleted(),
        shadow.updatedAt());
  }

  @Override
  public List<String> namedShadows(String thing) {
    return db.query(
        "SELECT shadow_name FROM shadows WHERE thing_name = ? AND shadow_name <> ''"
            + " AND deleted = ? ORDER BY shadow_name",
        row -> row.getString("shadow_name"),
        thing,
        false);
  }

  private StoredShadow shadow(ResultSet row) throws SQLException {
    return new StoredShadow(
        new ShadowKey(row.getString("thing_name"), row.getString("shadow_name")),
        object(row.getString("state")),
        object(row.getString("metadata")),
        row.getLong("version"),
        row.getBoolean("deleted"),
        Instant.ofEpochMilli(row.getLong("updated_at")));
  }

  private String text(ObjectNode tree) {
    try {
      return json.writeValueAsString(tree);
    } catch (JsonProcessingException e) {
      throw new StoreException(StoreException.Kind.FAILURE, "cannot encode a shadow", e);
    }
  }

  private ObjectNode object(String text) {
    try {
      JsonNode node = json.readTree(text);
      if (node instanceof ObjectNode object) {
        return object;
      }
    } catch (JsonProcessingException e) {
      throw new StoreException(StoreException.Kind.FAILURE, "stored shadow is not JSON", e);
    }
    throw new StoreException(StoreException.Kind.FAILURE, "stored shadow is not a JSON object");
  }
}
