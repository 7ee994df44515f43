package io.mamori.hub.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mamori.hub.audit.AuditReader;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** {@code GET /api/v1/audit/events}: audit records as stored, for a time range, paged by seq. */
final class AuditRoutes {
  static final int DEFAULT_LIMIT = 1000;
  static final int MAX_LIMIT = 10_000;

  private final AuditReader reader;
  private final Representations views;

  AuditRoutes(AuditReader reader, Representations views) {
    this.reader = reader;
    this.views = views;
  }

  void register(Router router) {
    router.add("GET", "/api/v1/audit/events", this::events);
  }

  private ApiResponse events(ApiRequest request) {
    Optional<Instant> since = instant(request, "since");
    Optional<Instant> until = instant(request, "until");
    long afterSeq = number(request, "afterSeq", 0, Long.MAX_VALUE).orElse(0L);
    int limit = number(request, "limit", 1, MAX_LIMIT).map(Long::intValue).orElse(DEFAULT_LIMIT);
    AuditReader.Query query;
    try {
      query = new AuditReader.Query(since, until, afterSeq, limit);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(e.getMessage());
    }
    var lines = reader.read(query);
    ObjectNode body = views.object();
    var records = body.putArray("records");
    lines.forEach(line -> records.add(reader.tree(line.record())));
    if (lines.size() == limit) {
      // More may follow: the client asks again with afterSeq set to this.
      body.put("nextAfterSeq", lines.get(lines.size() - 1).record().seq());
    }
    return ApiResponse.ok(body);
  }

  private static Optional<Instant> instant(ApiRequest request, String name) {
    return request
        .query(name)
        .map(
            value -> {
              try {
                return Instant.parse(value);
              } catch (DateTimeParseException e) {
                throw ApiException.badRequest(
                    "'" + name + "' must be an ISO-8601 instant like 2026-11-01T00:00:00Z");
              }
            });
  }

  private static Optional<Long> number(ApiRequest request, String name, long min, long max) {
    return request
        .query(name)
        .map(
            value -> {
              try {
                long n = Long.parseLong(value);
                if (n < min || n > max) {
                  throw ApiException.badRequest(
                      "'" + name + "' must be between " + min + " and " + max);
                }
                return n;
              } catch (NumberFormatException e) {
                throw ApiException.badRequest("'" + name + "' must be an integer");
              }
            });
  }
}
