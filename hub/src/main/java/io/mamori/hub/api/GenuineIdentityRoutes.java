package io.mamori.hub.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mamori.hub.genuine.GenuineIdentities;
import io.mamori.hub.genuine.GenuineIdentity;
import io.mamori.hub.genuine.IdentityKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code /api/v1/genuine-identities}: the manufacturer's list of genuine device identities that
 * provisioning templates with {@code Mamori::GenuineIdentity} check devices against.
 */
final class GenuineIdentityRoutes {
  private static final String BASE = "/api/v1/genuine-identities";
  private static final int DEFAULT_LIMIT = 100;

  private final GenuineIdentities genuine;
  private final Representations views;

  GenuineIdentityRoutes(GenuineIdentities genuine, Representations views) {
    this.genuine = genuine;
    this.views = views;
  }

  void register(Router router) {
    router
        .add("GET", BASE, this::list)
        .add("POST", BASE, this::importAll)
        .add("GET", BASE + "/{kind}/{value}", this::show)
        .add("POST", BASE + "/{kind}/{value}/revoke", this::revoke);
  }

  /** Body {@code {"identities": [{"kind": "SerialNumber", "value": "A1"}, ...]}}. */
  private ApiResponse importAll(ApiRequest request) {
    ObjectNode body = request.jsonObject();
    JsonNode items = body.get("identities");
    if (items == null || !items.isArray()) {
      throw ApiException.badRequest("field 'identities' must be a list of {kind, value}");
    }
    List<GenuineIdentities.Entry> entries = new ArrayList<>();
    for (JsonNode item : items) {
      if (!item.path("kind").isTextual() || !item.path("value").isTextual()) {
        throw ApiException.badRequest(
            "identities[" + entries.size() + "] needs text fields 'kind' and 'value'");
      }
      entries.add(
          new GenuineIdentities.Entry(
              IdentityKind.parse(item.get("kind").asText()), item.get("value").asText()));
    }
    GenuineIdentities.Imported imported = genuine.importAll(entries, AdminApiServer.ACTOR);
    ObjectNode node = views.object();
    node.put("added", imported.added());
    node.put("alreadyListed", imported.alreadyListed());
    return ApiResponse.ok(node);
  }

  private ApiResponse list(ApiRequest request) {
    Optional<IdentityKind> kind = request.query("kind").map(IdentityKind::parse);
    Optional<GenuineIdentity.Status> status =
        request.query("status").map(GenuineIdentityRoutes::status);
    int limit;
    try {
      limit = request.query("limit").map(Integer::parseInt).orElse(DEFAULT_LIMIT);
    } catch (NumberFormatException e) {
      throw ApiException.badRequest("limit must be a number");
    }
    List<GenuineIdentity> page =
        genuine.list(kind, status, request.query("after").orElse(""), limit);
    ObjectNode node = views.object();
    var items = node.putArray("identities");
    page.forEach(i -> items.add(view(i)));
    if (page.size() == limit) {
      node.put("next", page.get(page.size() - 1).value());
    }
    return ApiResponse.ok(node);
  }

  private ApiResponse show(ApiRequest request) {
    return ApiResponse.ok(
        view(genuine.get(IdentityKind.parse(request.path("kind")), request.path("value"))));
  }

  private ApiResponse revoke(ApiRequest request) {
    return ApiResponse.ok(
        view(
            genuine.revoke(
                IdentityKind.parse(request.path("kind")),
                request.path("value"),
                AdminApiServer.ACTOR)));
  }

  private static GenuineIdentity.Status status(String text) {
    try {
      return GenuineIdentity.Status.valueOf(text.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("status must be AVAILABLE, USED or REVOKED");
    }
  }

  private ObjectNode view(GenuineIdentity identity) {
    ObjectNode node = views.object();
    node.put("kind", identity.kind().wireName());
    node.put("value", identity.value());
    node.put("status", identity.status().name());
    identity.thingName().ifPresent(t -> node.put("thingName", t));
    identity.certificateId().ifPresent(c -> node.put("certificateId", c));
    node.put("importedAt", identity.importedAt().toString());
    identity.usedAt().ifPresent(t -> node.put("usedAt", t.toString()));
    identity.revokedAt().ifPresent(t -> node.put("revokedAt", t.toString()));
    return node;
  }
}
