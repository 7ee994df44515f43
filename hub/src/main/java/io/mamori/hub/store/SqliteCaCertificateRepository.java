package io.mamori.hub.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mamori.hub.registry.AutoRegistrationStatus;
import io.mamori.hub.registry.CaCertificate;
import io.mamori.hub.registry.CaCertificateRepository;
import io.mamori.hub.registry.CaCertificateStatus;
import io.mamori.hub.registry.CertificateMode;
import io.mamori.hub.registry.RegistrationConfig;
import io.mamori.hub.registry.RegistryException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Registered CA certificates and the hub's CA registration code, in SQLite. */
public final class SqliteCaCertificateRepository implements CaCertificateRepository {
  private static final String COLUMNS =
      "id, pem, status, certificate_mode, auto_registration_status, registration_config, subject,"
          + " serial_number, not_before, not_after, created_at, updated_at, jitr_webhook";

  private final SqliteDatabase db;
  private final ObjectMapper json = new ObjectMapper();

  public SqliteCaCertificateRepository(SqliteDatabase db) {
    this.db = db;
  }

  @Override
  public void insert(CaCertificate c) {
    try {
      db.update(
          "INSERT INTO ca_certificates ("
              + COLUMNS
              + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
          c.id(),
          c.pem(),
          c.status(),
          c.mode(),
          c.autoRegistration(),
          c.registrationConfig().map(this::write).orElse(null),
          c.subject(),
          c.serialNumber(),
          c.notBefore(),
          c.notAfter(),
          c.createdAt(),
          c.updatedAt(),
          c.jitrWebhook().orElse(null));
    } catch (StoreException e) {
      if (e.kind() == StoreException.Kind.DUPLICATE_KEY) {
        throw new RegistryException(
            RegistryException.Kind.CONFLICT,
            "CA certificate " + c.id() + " is already registered",
            e);
      }
      throw e;
    }
  }

  @Override
  public void update(CaCertificate c) {
    int changed =
        db.update(
            "UPDATE ca_certificates SET status = ?, auto_registration_status = ?,"
                + " registration_config = ?, jitr_webhook = ?, updated_at = ? WHERE id = ?",
            c.status(),
            c.autoRegistration(),
            c.registrationConfig().map(this::write).orElse(null),
            c.jitrWebhook().orElse(null),
            c.updatedAt(),
            c.id());
    if (changed == 0) {
      throw RegistryException.notFound("CA certificate " + c.id());
    }
  }

  @Override
  public Optional<CaCertificate> find(String id) {
    return db.queryOne(
        "SELECT " + COLUMNS + " FROM ca_certificates WHERE id = ?", this::certificate, id);
  }

  @Override
  public List<CaCertificate> list() {
    return db.query(
        "SELECT " + COLUMNS + " FROM ca_certificates ORDER BY created_at, id", this::certificate);
  }

  @Override
  public boolean delete(String id) {
    return db.update("DELETE FROM ca_certificates WHERE id = ?", id) > 0;
  }

  @Override
  public long deviceCertificateCount(String caCertificateId) {
    return db.queryOne(
            "SELECT COUNT(*) FROM certificates WHERE ca_certificate_id = ?",
            row -> row.getLong(1),
            caCertificateId)
        .orElse(0L);
  }

  @Override
  public Optional<String> registrationCode() {
    return db.queryOne(
        "SELECT code FROM ca_registration_code WHERE id = 1", row -> row.getString(1));
  }

  @Override
  public String saveRegistrationCode(String code, Instant at) {
    db.update(
        "INSERT INTO ca_registration_code (id, code, created_at) VALUES (1, ?, ?)"
            + " ON CONFLICT (id) DO NOTHING",
        code,
        at);
    return registrationCode().orElseThrow();
  }

  private String write(RegistrationConfig config) {
    ObjectNode node = json.createObjectNode();
    config.templateBody().ifPresent(b -> node.put("templateBody", b));
    config.templateName().ifPresent(n -> node.put("templateName", n));
    config.roleArn().ifPresent(r -> node.put("roleArn", r));
    return node.toString();
  }

  private Optional<RegistrationConfig> read(String text) {
    if (text == null) {
      return Optional.empty();
    }
    try {
      JsonNode node = json.readTree(text);
      return Optional.of(
          new RegistrationConfig(
              optional(node, "templateBody"),
              optional(node, "templateName"),
              optional(node, "roleArn")));
    } catch (JsonProcessingException e) {
      throw new StoreException(
          StoreException.Kind.FAILURE, "stored registration_config is not JSON", e);
    }
  }

  private static Optional<String> optional(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? Optional.empty() : Optional.of(value.asText());
  }

  private CaCertificate certificate(ResultSet row) throws SQLException {
    return new CaCertificate(
        row.getString("id"),
        row.getString("pem"),
        CaCertificateStatus.valueOf(row.getString("status")),
        CertificateMode.valueOf(row.getString("certificate_mode")),
        AutoRegistrationStatus.valueOf(row.getString("auto_registration_status")),
        read(row.getString("registration_config")),
        row.getString("subject"),
        row.getString("serial_number"),
        Instant.ofEpochMilli(row.getLong("not_before")),
        Instant.ofEpochMilli(row.getLong("not_after")),
        Instant.ofEpochMilli(row.getLong("created_at")),
        Instant.ofEpochMilli(row.getLong("updated_at")),
        Optional.ofNullable(row.getString("jitr_webhook")));
  }
}
