package io.mamori.hub.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.mamori.hub.events.EventPublisher;
import io.mamori.hub.events.HubEvent;
import io.mamori.hub.pki.CsrRejectedException;
import io.mamori.hub.registry.RegistryException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every admin API request passes here: authenticate, match a route, read a size-capped body, run
 * the route, and translate every failure into a JSON error with the right status. Nothing from an
 * exception but its one-line message ever reaches the client.
 */
final class ApiExchangeHandler implements HttpHandler {
  private static final Logger log = LoggerFactory.getLogger(ApiExchangeHandler.class);

  /**
   * Policy documents are the largest bodies; AWS caps them at 2048 characters, so this is ample.
   */
  static final int MAX_BODY_BYTES = 256 * 1024;

  /** Beyond this, an oversized body is not drained and the connection is simply closed. */
  private static final long MAX_DISCARD_BYTES = 4L * 1024 * 1024;

  private static final String BEARER = "bearer ";

  private final Router router;
  private final String adminToken;
  private final ObjectMapper json;
  private final Representations views;
  private final EventPublisher events;
  private final Clock clock;

  ApiExchangeHandler(
      Router router,
      String adminToken,
      ObjectMapper json,
      Representations views,
      EventPublisher events,
      Clock clock) {
    this.router = router;
    this.adminToken = adminToken;
    this.json = json;
    this.views = views;
    this.events = events;
    this.clock = clock;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    ApiResponse response;
    try {
      response = route(exchange);
    } catch (ApiException e) {
      response = error(e.status(), e.code(), e.getMessage());
    } catch (RegistryException e) {
      response = registryError(e);
    } catch (CsrRejectedException e) {
      response = error(400, "csr_rejected", oneLine(e.getMessage()));
    } catch (RuntimeException e) {
      log.error(
          "admin api request failed method={} path={}",
          exchange.getRequestMethod(),
          exchange.getRequestURI().getRawPath(),
          e);
      response = error(500, "internal_error", "the hub could not complete the request");
    }
    try {
      send(exchange, response);
    } finally {
      exchange.close();
    }
  }

  private ApiResponse route(HttpExchange exchange) throws IOException {
    String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
    var match = router.match(method, exchange.getRequestURI().getRawPath());
    boolean isPublic = match instanceof Router.Match.Found found && !found.authenticated();
    // Authenticate before saying whether a route exists, so that without the token nothing about
    // the API's shape can be probed.
    if (!isPublic && !authorized(exchange)) {
      events.publish(
          HubEvent.denied(
                  "api.authentication",
                  clock.instant(),
                  exchange.getRemoteAddress().getAddress().getHostAddress(),
                  exchange.getRequestURI().getRawPath(),
                  "missing or invalid admin token")
              .with("method", method));
      exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"mamori\"");
      throw new ApiException(401, "unauthorized", "a valid admin token is required");
    }
    if (match instanceof Router.Match.MethodNotAllowed notAllowed) {
      exchange.getResponseHeaders().set("Allow", String.join(", ", notAllowed.allowed()));
      throw new ApiException(
          405, "method_not_allowed", method + " is not allowed here; use " + notAllowed.allowed());
    }
    if (!(match instanceof Router.Match.Found found)) {
      throw ApiException.notFound(
          "no such route: " + method + " " + exchange.getRequestURI().getPath());
    }
    byte[] body = readBody(exchange, found.maxBodyBytes());
    return found
        .handler()
        .handle(
            new ApiRequest(
                found.pathParameters(),
                body,
                json,
                ApiRequest.parseQuery(exchange.getRequestURI().getRawQuery())));
  }

  private boolean authorized(HttpExchange exchange) {
    List<String> headers = exchange.getRequestHeaders().get("Authorization");
    if (headers == null || headers.size() != 1) {
      return false;
    }
    String header = headers.get(0);
    if (header.length() <= BEARER.length()
        || !header.substring(0, BEARER.length()).toLowerCase(Locale.ROOT).equals(BEARER)) {
      return false;
    }
    return AdminToken.constantTimeEquals(adminToken, header.substring(BEARER.length()).strip());
  }

  private static byte[] readBody(HttpExchange exchange, int maxBodyBytes) throws IOException {
    String length = exchange.getRequestHeaders().getFirst("Content-Length");
    long declared = -1;
    if (length != null) {
      try {
        declared = Long.parseLong(length.strip());
      } catch (NumberFormatException e) {
        throw ApiException.badRequest("malformed Content-Length");
      }
    }
    try (InputStream in = exchange.getRequestBody()) {
      if (declared > maxBodyBytes) {
        discard(in);
        throw tooLarge(maxBodyBytes);
      }
      // Chunked bodies carry no length: read one byte past the cap to notice an oversized one.
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buffer = new byte[8192];
      int total = 0;
      int n;
      while ((n = in.read(buffer)) != -1) {
        total += n;
        if (total > maxBodyBytes) {
          discard(in);
          throw tooLarge(maxBodyBytes);
        }
        out.write(buffer, 0, n);
      }
      return out.toByteArray();
    }
  }

  /**
   * Reads and drops what the client is still sending (up to a bound), so that it reads our 413
   * instead of losing it to a connection reset while it is still writing (RFC 9110 §15.5.14).
   */
  private static void discard(InputStream in) throws IOException {
    byte[] buffer = new byte[8192];
    long dropped = 0;
    int n;
    while (dropped < MAX_DISCARD_BYTES && (n = in.read(buffer)) != -1) {
      dropped += n;
    }
  }

  private static ApiException tooLarge(int maxBodyBytes) {
    return new ApiException(
        413, "payload_too_large", "request body exceeds " + maxBodyBytes + " bytes");
  }

  private ApiResponse registryError(RegistryException e) {
    return switch (e.kind()) {
      case INVALID -> error(400, "invalid_request", oneLine(e.getMessage()));
      case NOT_FOUND -> error(404, "not_found", oneLine(e.getMessage()));
      case CONFLICT -> error(409, "conflict", oneLine(e.getMessage()));
    };
  }

  private ApiResponse error(int status, String code, String message) {
    return new ApiResponse(status, java.util.Optional.of(views.error(code, oneLine(message))));
  }

  private static String oneLine(String message) {
    if (message == null || message.isBlank()) {
      return "no reason given";
    }
    return message.strip().replaceAll("\\s*[\\r\\n]+\\s*", " ");
  }

  private void send(HttpExchange exchange, ApiResponse response) throws IOException {
    log.debug(
        "admin api method={} path={} status={}",
        exchange.getRequestMethod(),
        exchange.getRequestURI().getRawPath(),
        response.status());
    var headers = exchange.getResponseHeaders();
    headers.set("Cache-Control", "no-store");
    headers.set("X-Content-Type-Options", "nosniff");
    if (response.text().isPresent()) {
      byte[] text = response.text().get().bytes();
      headers.set("Content-Type", response.text().get().contentType());
      exchange.sendResponseHeaders(response.status(), text.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(text);
      }
      return;
    }
    if (response.body().isEmpty()) {
      exchange.sendResponseHeaders(response.status(), -1);
      return;
    }
    byte[] bytes = json.writeValueAsBytes(response.body().get());
    headers.set("Content-Type", "application/json; charset=utf-8");
    exchange.sendResponseHeaders(response.status(), bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
