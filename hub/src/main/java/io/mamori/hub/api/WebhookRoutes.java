package io.mamori.hub.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mamori.hub.webhooks.Delivery;
import io.mamori.hub.webhooks.DeliveryStatus;
import io.mamori.hub.webhooks.Webhook;
import io.mamori.hub.webhooks.Webhooks;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code /api/v1/webhooks}: create, list, delete, test webhooks, and list deliveries (dead letters
 * with {@code ?status=DEAD}). The secret goes in on create and never comes out.
 */
final class WebhookRoutes {
  static final int MAX_LIST = 1000;
  private final Webhooks webhooks;
  private final Representations views;

  WebhookRoutes(Webhooks webhooks, Representations views) {
    this.webhooks = webhooks;
    this.views = views;
  }

  void register(Router router) {
    router
        .add("POST", "/api/v1/webhooks", this::create)
        .add("GET", "/api/v1/webhooks", request -> list())
        .add("GET", "/api/v1/webhooks/deliveries", this::deliveries)
        .add("DELETE", "/api/v1/webhooks/{id}", this::delete)
        .add("POST", "/api/v1/webhooks/{id}/test", this::test);
  }

  private ApiResponse create(ApiRequest request) {
    ObjectNode body = request.jsonObject();
    try {
      return ApiResponse.created(
          view(
              webhooks.create(
                  ApiRequest.requiredText(body, "url"),
                  ApiRequest.requiredText(body, "events"),
                  ApiRequest.requiredText(body, "secret"),
                  AdminApiServer.ACTOR)));
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(e.getMessage());
    }
  }

  private ApiResponse list() {
    ObjectNode body = views.object();
    var items = body.putArray("webhooks");
    webhooks.list().forEach(w -> items.add(view(w)));
    return ApiResponse.ok(body);
  }

  private ApiResponse delete(ApiRequest request) {
    if (!webhooks.delete(request.path("id"), AdminApiServer.ACTOR)) {
      throw ApiException.notFound("webhook " + request.path("id") + " not found");
    }
    return ApiResponse.noContent();
  }

  private ApiResponse test(ApiRequest request) {
    Delivery delivery =
        webhooks
            .test(request.path("id"), AdminApiServer.ACTOR)
            .orElseThrow(
                () -> ApiException.notFound("webhook " + request.path("id") + " not found"));
    return new ApiResponse(202, Optional.of(views.object().put("deliveryId", delivery.id())));
  }

  private ApiResponse deliveries(ApiRequest request) {
    Optional<DeliveryStatus> status;
    try {
      status = request.query("status").map(s -> DeliveryStatus.valueOf(s.toUpperCase(Locale.ROOT)));
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("status must be PENDING, DELIVERED or DEAD");
    }
    int limit;
    try {
      limit = request.query("limit").map(Integer::parseInt).orElse(100);
    } catch (NumberFormatException e) {
      throw ApiException.badRequest("limit must be a number");
    }
    if (limit < 1 || limit > MAX_LIST) {
      throw ApiException.badRequest("limit must be 1.." + MAX_LIST);
    }
    ObjectNode body = views.object();
    var items = body.putArray("deliveries");
    for (Delivery d : webhooks.deliveries(status, limit)) {
      ObjectNode item =
          items
              .addObject()
              .put("deliveryId", d.id())
              .put("webhookId", d.webhookId())
              .put("eventType", d.eventType())
              .put("status", d.status().name())
              .put("attempts", d.attempts())
              .put("lastError", d.lastError())
              .put("createdAt", d.createdAt().toString());
      if (d.status() == DeliveryStatus.PENDING) {
        item.put("nextAttemptAt", d.nextAttemptAt().toString());
      }
      d.finishedAt().ifPresent(at -> item.put("finishedAt", at.toString()));
    }
    return ApiResponse.ok(body);
  }

  private ObjectNode view(Webhook w) {
    ObjectNode node =
        views
            .object()
            .put("webhookId", w.id())
            .put("url", Webhooks.redacted(w.url()))
            .put("createdAt", w.createdAt().toString());
    w.events().forEach(node.putArray("events")::add);
    return node;
  }
}
