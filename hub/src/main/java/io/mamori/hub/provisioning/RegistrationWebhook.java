package io.mamori.hub.provisioning;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The JITR webhook: Mamori's stand-in for the AWS rule and Lambda that check a registration event
 * (reference §2.2). The event is POSTed as JSON with the certificate's PEM added; a 2xx answer
 * {@code {"activate": true}}, optionally naming an existing {@code policyName} and {@code
 * thingName} to attach, activates the certificate. Anything else leaves it PENDING_ACTIVATION (fail
 * closed). The call never blocks a thread: it completes on the HTTP client's own threads.
 */
final class RegistrationWebhook {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient client;
  private final Duration timeout;

  RegistrationWebhook(HttpClient client, Duration timeout) {
    this.client = client;
    this.timeout = timeout;
  }

  /** The webhook's decision. */
  record Answer(boolean activate, Optional<String> policyName, Optional<String> thingName) {}

  /** Completes with the answer, or exceptionally with a {@link WebhookFailure} saying why not. */
  CompletableFuture<Answer> call(String url, byte[] body) {
    HttpRequest request;
    try {
      request =
          HttpRequest.newBuilder(URI.create(url))
              .timeout(timeout)
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofByteArray(body))
              .build();
    } catch (IllegalArgumentException e) {
      return CompletableFuture.failedFuture(new WebhookFailure("bad URL: " + e.getMessage()));
    }
    return client
        .sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
        .handle(
            (response, failure) -> {
              if (failure != null) {
                throw new WebhookFailure(
                    failure instanceof java.net.http.HttpTimeoutException
                            || failure.getCause() instanceof java.net.http.HttpTimeoutException
                        ? "no answer within " + timeout.toMillis() + " ms"
                        : "call failed: " + rootMessage(failure));
              }
              return answer(response);
            });
  }

  private static Answer answer(HttpResponse<byte[]> response) {
    if (response.statusCode() / 100 != 2) {
      throw new WebhookFailure("answered HTTP " + response.statusCode());
    }
    JsonNode node;
    try {
      node = JSON.readTree(response.body());
    } catch (IOException e) {
      throw new WebhookFailure("answer is not JSON");
    }
    if (node == null || !node.path("activate").isBoolean()) {
      throw new WebhookFailure("answer has no boolean 'activate'");
    }
    return new Answer(
        node.get("activate").booleanValue(), text(node, "policyName"), text(node, "thingName"));
  }

  private static Optional<String> text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return Optional.empty();
    }
    if (!value.isTextual()) {
      throw new WebhookFailure("'" + field + "' must be a string");
    }
    return Optional.of(value.asText());
  }

  private static String rootMessage(Throwable failure) {
    Throwable cause = failure;
    while (cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause.getClass().getSimpleName()
        + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
  }

  /** Why the webhook's answer cannot be used. */
  static final class WebhookFailure extends RuntimeException {
    WebhookFailure(String message) {
      super(message);
    }
  }
}
