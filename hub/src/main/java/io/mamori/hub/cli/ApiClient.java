package io.mamori.hub.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;

/**
 * The CLI's view of the admin API: sends JSON with the bearer token over HTTPS (hostname
 * verification on) and turns every failure into a {@link CliFailure} with a one-line reason.
 */
final class ApiClient {
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

  private final String baseUrl;
  private final String token;
  private final String unreachableHint;
  private final HttpClient http;
  private final ObjectMapper json = new ObjectMapper();

  /**
   * @param unreachableHint appended to "cannot reach the hub at URL" to tell the user what to check
   */
  ApiClient(String baseUrl, String token, Optional<SSLContext> tls, String unreachableHint) {
    this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    this.token = token;
    this.unreachableHint = unreachableHint;
    var builder =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(CONNECT_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER);
    tls.ifPresent(builder::sslContext);
    this.http = builder.build();
  }

  /** Encodes one path segment (a thing name, policy name or certificate id). */
  static String segment(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  JsonNode get(String path) {
    return send("GET", path, Optional.empty());
  }

  JsonNode post(String path, JsonNode body) {
    return send("POST", path, Optional.of(body));
  }

  JsonNode put(String path, JsonNode body) {
    return send("PUT", path, Optional.of(body));
  }

  JsonNode patch(String path, JsonNode body) {
    return send("PATCH", path, Optional.of(body));
  }

  void delete(String path) {
    send("DELETE", path, Optional.empty());
  }

  /** The decoded JSON answer, or a missing node for 204. */
  JsonNode send(String method, String path, Optional<JsonNode> body) {
    var publisher =
        body.map(b -> HttpRequest.BodyPublishers.ofString(b.toString(), StandardCharsets.UTF_8))
            .orElse(HttpRequest.BodyPublishers.noBody());
    return decode(exchange(method, path, publisher, body.map(b -> "application/json")));
  }

  /** POSTs raw bytes (a firmware image) and decodes the JSON answer. */
  JsonNode upload(String path, byte[] content) {
    return decode(
        exchange(
            "POST",
            path,
            HttpRequest.BodyPublishers.ofByteArray(content),
            Optional.of("application/octet-stream")));
  }

  /** GETs a text answer (e.g. a PEM certificate); a non-2xx status is a failure. */
  String getText(String path) {
    HttpResponse<String> response =
        exchange("GET", path, HttpRequest.BodyPublishers.noBody(), Optional.empty());
    if (response.statusCode() / 100 != 2) {
      decode(response); // throws with the hub's reason
    }
    return response.body();
  }

  private HttpResponse<String> exchange(
      String method,
      String path,
      HttpRequest.BodyPublisher publisher,
      Optional<String> contentType) {
    URI uri;
    try {
      uri = URI.create(baseUrl + path);
    } catch (IllegalArgumentException e) {
      throw new CliFailure("invalid hub URL " + baseUrl + ": " + e.getMessage());
    }
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri)
            .timeout(REQUEST_TIMEOUT)
            .header("Authorization", "Bearer " + token)
            .header("Accept", "application/json")
            .method(method, publisher);
    contentType.ifPresent(type -> request.header("Content-Type", type));
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliFailure("interrupted while talking to the hub");
    } catch (IOException e) {
      throw translate(e);
    }
  }

  private CliFailure translate(IOException e) {
    if (causedBy(e, ConnectException.class) || causedBy(e, HttpConnectTimeoutException.class)) {
      return new CliFailure("cannot reach the hub at " + baseUrl + ": " + unreachableHint, e);
    }
    if (causedBy(e, SSLException.class)) {
      return new CliFailure(
          "TLS with the hub at "
              + baseUrl
              + " failed ("
              + rootMessage(e)
              + "): does --cacert hold the hub's CA chain, and does the URL name a host its"
              + " certificate covers?",
          e);
    }
    return new CliFailure("request to the hub at " + baseUrl + " failed: " + rootMessage(e), e);
  }

  private JsonNode decode(HttpResponse<String> response) {
    int status = response.statusCode();
    JsonNode node = parse(response.body());
    if (status >= 200 && status < 300) {
      return node;
    }
    String message =
        node.path("message").isTextual()
            ? node.path("message").textValue()
            : "the hub answered HTTP " + status;
    if (status == 401) {
      message += " (check --token, MAMORI_TOKEN or DATA/admin.token)";
    }
    throw new CliFailure(message);
  }

  private JsonNode parse(String body) {
    if (body == null || body.isBlank()) {
      return MissingNode.getInstance();
    }
    try {
      return json.readTree(body);
    } catch (JsonProcessingException e) {
      return MissingNode.getInstance();
    }
  }

  private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
  }
}
