package io.mamori.hub.api;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Maps a method and a path such as {@code /api/v1/things/t1} to the handler registered for the
 * template {@code /api/v1/things/{name}}, capturing the named segments.
 */
final class Router {

  /** Handles one matched request. */
  @FunctionalInterface
  interface Handler {
    ApiResponse handle(ApiRequest request);
  }

  /** What a lookup found: a handler, a path known under other methods, or nothing. */
  sealed interface Match {
    /**
     * @param maxBodyBytes the largest request body the route accepts
     */
    record Found(
        Handler handler,
        Map<String, String> pathParameters,
        boolean authenticated,
        int maxBodyBytes)
        implements Match {}

    record MethodNotAllowed(Set<String> allowed) implements Match {}

    record NotFound() implements Match {}
  }

  private record Route(
      String method, List<String> template, Handler handler, boolean secured, int maxBodyBytes) {}

  private final List<Route> routes = new ArrayList<>();

  /** Registers a route that requires the admin token. */
  Router add(String method, String template, Handler handler) {
    routes.add(
        new Route(method, segments(template), handler, true, ApiExchangeHandler.MAX_BODY_BYTES));
    return this;
  }

  /** As {@link #add}, for a route whose body may be larger than the default cap (uploads). */
  Router addUpload(String method, String template, Handler handler, int maxBodyBytes) {
    routes.add(new Route(method, segments(template), handler, true, maxBodyBytes));
    return this;
  }

  /** Registers a route anyone who can reach the port may call; keep these to a bare minimum. */
  Router addPublic(String method, String template, Handler handler) {
    routes.add(
        new Route(method, segments(template), handler, false, ApiExchangeHandler.MAX_BODY_BYTES));
    return this;
  }

  /** Every route as {@code METHOD /template}, to check the OpenAPI document against. */
  List<String> describe() {
    return routes.stream().map(r -> r.method() + " /" + String.join("/", r.template())).toList();
  }

  Match match(String method, String rawPath) {
    List<String> path = segments(rawPath);
    Set<String> allowed = new TreeSet<>();
    for (Route route : routes) {
      var parameters = bind(route.template(), path);
      if (parameters == null) {
        continue;
      }
      if (route.method().equals(method)) {
        return new Match.Found(route.handler(), parameters, route.secured(), route.maxBodyBytes());
      }
      allowed.add(route.method());
    }
    return allowed.isEmpty() ? new Match.NotFound() : new Match.MethodNotAllowed(allowed);
  }

  /** Null when the path does not fit the template. */
  private static Map<String, String> bind(List<String> template, List<String> path) {
    if (template.size() != path.size()) {
      return null;
    }
    Map<String, String> parameters = new LinkedHashMap<>();
    for (int i = 0; i < template.size(); i++) {
      String expected = template.get(i);
      String actual = path.get(i);
      if (expected.startsWith("{") && expected.endsWith("}")) {
        if (actual.isEmpty()) {
          return null;
        }
        parameters.put(expected.substring(1, expected.length() - 1), decode(actual));
      } else if (!expected.equals(actual)) {
        return null;
      }
    }
    return parameters;
  }

  private static List<String> segments(String path) {
    return Arrays.stream(path.split("/")).filter(s -> !s.isEmpty()).toList();
  }

  /** Percent-decodes one path segment; unlike a query string, '+' is a literal plus in a path. */
  private static String decode(String segment) {
    try {
      return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("malformed percent-encoding in the path");
    }
  }
}
