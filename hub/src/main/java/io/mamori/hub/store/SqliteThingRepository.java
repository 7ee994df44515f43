package io.mamori.hub.store;

import io.mamori.hub.registry.RegistryException;
import io.mamori.hub.registry.Thing;
import io.mamori.hub.registry.ThingRepository;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Things in SQLite; attributes are one JSON object per row, keys sorted. */
public final class SqliteThingRepository implements ThingRepository {
  private static final String COLUMNS =
      "name, thing_type, attributes, version, created_at, updated_at";

  private final SqliteDatabase db;
  private final AttributesJson attributes = new AttributesJson();

  public SqliteThingRepository(SqliteDatabase db) {
    this.db = db;
  }

  @Override
  public void insert(Thing thing) {
    try {
      db.update(
          "INSERT INTO things (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?)",
          thing.name(),
          thing.thingType().orElse(null),
          attributes.write(thing.attributes()),
          thing.version(),
          thing.createdAt(),
          thing.updatedAt());
    } catch (StoreException e) {
      if (e.kind() == StoreException.Kind.DUPLICATE_KEY) {
        throw new RegistryException(
            RegistryException.Kind.CONFLICT, "thing " + thing.name() + " already exists", e);
      }
      throw e;
    }
  }

  @Override
  public void update(Thing thing) {
    int changed =
        db.update(
            "UPDATE things SET thing_type = ?, attributes = ?, version = ?, updated_at = ?"
                + " WHERE name = ?",
            thing.thingType().orElse(null),
            attributes.write(thing.attributes()),
            thing.version(),
            thing.updatedAt(),
            thing.name());
    if (changed == 0) {
      throw RegistryException.notFound("thing " + thing.name());
    }
  }

  @Override
  public Optional<Thing> find(String name) {
    return db.queryOne("SELECT " + COLUMNS + " FROM things WHERE name = ?", this::thing, name);
  }

  @Override
  public List<Thing> list() {
    return db.query("SELECT " + COLUMNS + " FROM things ORDER BY name", this::thing);
  }

  /** Attachments go with the thing (ON DELETE CASCADE); the certificates themselves stay. */
  @Override
  public boolean delete(String name) {
    return db.update("DELETE FROM things WHERE name = ?", name) > 0;
  }

  private Thing thing(ResultSet row) throws SQLException {
    return new Thing(
        row.getString("name"),
        Optional.ofNullable(row.getString("thing_type")),
        attributes.read(row.getString("attributes")),
        row.getLong("version"),
        Instant.ofEpochMilli(row.getLong("created_at")),
        Instant.ofEpochMilli(row.getLong("updated_at")));
  }
}
