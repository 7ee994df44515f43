package io.mamori.hub.provisioning;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The pre-provisioning hook (reference §1.5) as an HTTP(S) webhook: the AWS Lambda input is POSTed
 * as JSON, the Lambda output is expected back. Anything but a 2xx answer with {@code
 * "allowProvisioning": true} within the timeout refuses provisioning (fail closed).
 */
public final class PreProvisioningHook {
  /** Reference §1.5: the hook must answer within 5 seconds. */
  public static final Duration TIMEOUT = Duration.ofSeconds(5);

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient client;
  private final Duration timeout;
  private final String templateArnPrefix;

  /**
   * @param templateArnPrefix e.g. {@code arn:aws:iot:REGION:ACCOUNT:provisioningtemplate/}
   */
  public PreProvisioningHook(HttpClient client, Duration timeout, String templateArnPrefix) {
    this.client = client;
    this.timeout = timeout;
    this.templateArnPrefix = templateArnPrefix;
  }

  /** The AWS hook input, with its exact keys. */
  @JsonPropertyOrder({
    "claimCertificateId",
    "certificateId",
    "certificatePem",
    "templateArn",
    "clientId",
    "parameters"
  })
  public record Input(
      String claimCertificateId,
      String certificateId,
      String certificatePem,
      String templateArn,
      String clientId,
      Map<String, String> parameters) {}

  /**
   * Calls the hook.
   *
   * @param input its {@code templateArn} holds the bare template name; the ARN is made here
   * @return the {@code parameterOverrides} to merge into the request's parameters
   * @throws TemplateException ({@code 403 AccessDeniedException}) when the hook refuses, fails or
   *     does not answer in time
   */
  public Map<String, String> ask(String url, Input input) {
    Input sent =
        new Input(
            input.claimCertificateId(),
            input.certificateId(),
            input.certificatePem(),
            templateArnPrefix + input.templateArn(),
            input.clientId(),
            input.parameters());
    HttpResponse<byte[]> response;
    try {
      HttpRequest request =
          HttpRequest.newBuilder(URI.create(url))
              .timeout(timeout)
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(sent)))
              .build();
      response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
    } catch (HttpTimeoutException e) {
      throw denied("pre-provisioning hook did not answer within " + timeout.toSeconds() + " s");
    } catch (IOException | IllegalArgumentException e) {
      throw denied("pre-provisioning hook failed: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw denied("pre-provisioning hook call interrupted");
    }
    if (response.statusCode() / 100 != 2) {
      throw denied("pre-provisioning hook answered HTTP " + response.statusCode());
    }
    JsonNode answer;
    try {
      answer = JSON.readTree(response.body());
    } catch (IOException e) {
      throw denied("pre-provisioning hook answer is not JSON");
    }
    if (answer == null || !answer.path("allowProvisioning").isBoolean()) {
      throw denied("pre-provisioning hook answer has no boolean allowProvisioning");
    }
    if (!answer.get("allowProvisioning").booleanValue()) {
      throw denied("pre-provisioning hook refused provisioning");
    }
    var overrides = new LinkedHashMap<String, String>();
    JsonNode node = answer.path("parameterOverrides");
    if (!node.isMissingNode() && !node.isNull() && !node.isObject()) {
      throw denied("pre-provisioning hook parameterOverrides is not an object");
    }
    node.fields()
        .forEachRemaining(
            field -> {
              if (!field.getValue().isValueNode()) {
                throw denied(
                    "pre-provisioning hook override " + field.getKey() + " is not a string");
              }
              overrides.put(field.getKey(), field.getValue().asText());
            });
    return overrides;
  }

  private static TemplateException denied(String message) {
    // Reference §1.5: a refused, failed or late hook rejects RegisterThing with ACCESS_DENIED.
    return new TemplateException(403, "ACCESS_DENIED", message);
  }
}
