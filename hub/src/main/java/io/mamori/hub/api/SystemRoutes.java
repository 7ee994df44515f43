package io.mamori.hub.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mamori.hub.pki.CertificateAuthority;
import io.mamori.hub.pki.CertificateIds;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Health, the OpenAPI document and the CA chain devices must trust. */
final class SystemRoutes {
  static final String OPENAPI_RESOURCE = "openapi.json";

  private final CertificateAuthority authority;
  private final Representations views;
  private final JsonNode openApi;

  SystemRoutes(CertificateAuthority authority, Representations views, ObjectMapper json) {
    this.authority = authority;
    this.views = views;
    this.openApi = loadOpenApi(json);
  }

  void register(Router router) {
    // Unauthenticated on purpose, so scripts and probes can wait for readiness without the
    // token; it tells nothing a TCP connect would not.
    router
        .addPublic("GET", "/api/v1/health", request -> ApiResponse.ok(health()))
        .add("GET", "/api/v1/openapi.json", request -> ApiResponse.ok(openApi))
        .add("GET", "/api/v1/ca", request -> ApiResponse.ok(ca()));
  }

  private ObjectNode health() {
    return views.object().put("status", "ok");
  }

  private ObjectNode ca() {
    ObjectNode node = views.object().put("chainPem", authority.chainPem());
    var items = node.putArray("certificates");
    for (var certificate : authority.chain()) {
      items
          .addObject()
          .put("id", CertificateIds.of(certificate))
          .put("subject", certificate.getSubjectX500Principal().getName())
          .put("notAfter", certificate.getNotAfter().toInstant().toString());
    }
    return node.put("issuingCertificateId", authority.issuingCertificateId())
        .put("rootCertificateId", CertificateIds.of(authority.rootCertificate()));
  }

  private static JsonNode loadOpenApi(ObjectMapper json) {
    try (InputStream in = SystemRoutes.class.getResourceAsStream(OPENAPI_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("openapi.json is missing from the hub jar");
      }
      return json.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException("openapi.json cannot be read", e);
    }
  }
}
