package io.mamori.hub.registry;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A second, independent connection to the database file. In WAL mode it sees committed data only,
 * so what it reads while a listener runs tells whether the change had committed by then.
 */
final class CommittedView implements AutoCloseable {
  private final Connection connection;

  CommittedView(Path file) {
    try {
      connection = DriverManager.getConnection("jdbc:sqlite:" + file);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  Optional<String> status(String certificateId) {
    return strings("SELECT status FROM certificates WHERE id = ?", certificateId).stream()
        .findFirst();
  }

  boolean thingExists(String name) {
    return !strings("SELECT name FROM things WHERE name = ?", name).isEmpty();
  }

  List<String> thingsOf(String certificateId) {
    return strings(
        "SELECT thing_name FROM certificate_things WHERE certificate_id = ? ORDER BY thing_name",
        certificateId);
  }

  /** Attached policies as {@code name:defaultVersion}. */
  List<String> policiesOf(String certificateId) {
    return strings(
        "SELECT p.name || ':' || p.default_version FROM policies p"
            + " JOIN policy_certificates a ON a.policy_name = p.name"
            + " WHERE a.certificate_id = ? ORDER BY p.name",
        certificateId);
  }

  private List<String> strings(String sql, String parameter) {
    try (var statement = connection.prepareStatement(sql)) {
      statement.setString(1, parameter);
      try (var rs = statement.executeQuery()) {
        var values = new ArrayList<String>();
        while (rs.next()) {
          values.add(rs.getString(1));
        }
        return values;
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() throws SQLException {
    connection.close();
  }
}
