package io.mamori.hub.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mamori webhook}: HTTP receivers of alarms, audit findings and chosen hub events. */
@Command(
    name = "webhook",
    mixinStandardHelpOptions = true,
    description = {
      "Webhooks: hub events POSTed as JSON, signed with HMAC-SHA256 (headers X-Mamori-Timestamp,",
      "X-Mamori-Signature: v1=hex(HMAC(secret, timestamp + \".\" + body))), retried with backoff,",
      "dead-lettered after 8 attempts."
    },
    subcommands = {
      WebhookCommand.Create.class,
      WebhookCommand.ListWebhooks.class,
      WebhookCommand.Delete.class,
      WebhookCommand.Test.class,
      WebhookCommand.Deliveries.class
    })
final class WebhookCommand extends GroupCommand {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** {@code mamori webhook create --url URL --events PATTERNS --secret-file F}. */
  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description = "Create a webhook; prints its id.")
  static final class Create implements Callable<Integer> {
    // Not the ClientOptions mixin: its --url names the hub, here --url is the receiver (the
    // spelling operators expect), so the hub's URL is --hub-url for this one command.
    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Option(
        names = "--data",
        paramLabel = "DIR",
        defaultValue = "${env:MAMORI_DATA:-./mamori-data}",
        description = "Hub data directory (default: ${DEFAULT-VALUE}; env MAMORI_DATA).")
    Path dataDir;

    @Option(
        names = "--hub-url",
        paramLabel = "URL",
        description = "Admin API base URL (default: from DIR/endpoint.json).")
    String hubUrl;

    @Option(
        names = "--token",
        paramLabel = "TOKEN",
        defaultValue = "${env:MAMORI_TOKEN}",
        description = "Admin API token (default: env MAMORI_TOKEN, else DIR/admin.token).")
    String token;

    @Option(names = "--cacert", paramLabel = "FILE", description = "CA chain for the API.")
    Path caCertificates;

    @Option(names = "--url", required = true, description = "http:// or https:// receiver URL.")
    String url;

    @Option(
        names = "--events",
        required = true,
        description =
            "Comma-separated event types or prefixes, e.g. 'defender.*,certificate.revoked'; '*' for all.")
    String events;

    @Option(
        names = "--secret-file",
        required = true,
        description = "File holding the shared HMAC secret (16 to 512 characters; one line).")
    Path secretFile;

    @Override
    public Integer call() {
      String secret;
      try {
        secret = Files.readString(secretFile, StandardCharsets.UTF_8).strip();
      } catch (IOException e) {
        throw CliFailure.unreadable("the secret file", secretFile, e);
      }
      ClientOptions options = new ClientOptions();
      options.command = spec;
      options.dataDir = dataDir;
      options.url = java.util.Optional.ofNullable(hubUrl);
      options.token = token;
      options.caCertificates = java.util.Optional.ofNullable(caCertificates);
      var body =
          JSON.createObjectNode().put("url", url).put("events", events).put("secret", secret);
      JsonNode created = options.client().post("/api/v1/webhooks", body);
      options.out().println(created.path("webhookId").asText());
      options.out().flush();
      return 0;
    }
  }

  /** {@code mamori webhook list}. */
  @Command(name = "list", mixinStandardHelpOptions = true, description = "List webhooks.")
  static final class ListWebhooks implements Callable<Integer> {
    @Mixin ClientOptions options;
    @Mixin JsonOption json;

    @Override
    public Integer call() {
      JsonNode answer = options.client().get("/api/v1/webhooks");
      if (json.enabled) {
        options.printJson(answer);
        return 0;
      }
      for (JsonNode w : answer.path("webhooks")) {
        java.util.List<String> events = new java.util.ArrayList<>();
        w.path("events").forEach(e -> events.add(e.asText()));
        options
            .out()
            .printf(
                "%s %s %s%n",
                w.path("webhookId").asText(), w.path("url").asText(), String.join(",", events));
      }
      options.out().flush();
      return 0;
    }
  }

  /** {@code mamori webhook delete ID}. */
  @Command(
      name = "delete",
      mixinStandardHelpOptions = true,
      description = "Delete a webhook and its pending deliveries.")
  static final class Delete implements Callable<Integer> {
    @Mixin ClientOptions options;

    @Parameters(index = "0", paramLabel = "ID")
    String id;

    @Override
    public Integer call() {
      options.client().delete("/api/v1/webhooks/" + ApiClient.segment(id));
      return 0;
    }
  }

  /** {@code mamori webhook test ID}. */
  @Command(
      name = "test",
      mixinStandardHelpOptions = true,
      description = "Queue a signed webhook.test delivery; prints the delivery id.")
  static final class Test implements Callable<Integer> {
    @Mixin ClientOptions options;

    @Parameters(index = "0", paramLabel = "ID")
    String id;

    @Override
    public Integer call() {
      JsonNode answer =
          options
              .client()
              .post("/api/v1/webhooks/" + ApiClient.segment(id) + "/test", JSON.createObjectNode());
      options.out().println(answer.path("deliveryId").asText());
      options.out().flush();
      return 0;
    }
  }

  /** {@code mamori webhook deliveries [--status dead]}. */
  @Command(
      name = "deliveries",
      mixinStandardHelpOptions = true,
      description = "List recent deliveries, newest first; --status dead shows the dead letters.")
  static final class Deliveries implements Callable<Integer> {
    @Mixin ClientOptions options;
    @Mixin JsonOption json;

    @Option(names = "--status", description = "pending, delivered or dead.")
    String status;

    @Option(names = "--limit", defaultValue = "100", description = "At most this many (1-1000).")
    int limit;

    @Override
    public Integer call() {
      String path = "/api/v1/webhooks/deliveries?limit=" + limit;
      if (status != null) {
        path += "&status=" + ApiClient.segment(status.toUpperCase(Locale.ROOT));
      }
      JsonNode answer = options.client().get(path);
      if (json.enabled) {
        options.printJson(answer);
        return 0;
      }
      for (JsonNode d : answer.path("deliveries")) {
        options
            .out()
            .printf(
                "%s %-9s attempts=%d webhook=%s event=%s%s%n",
                d.path("deliveryId").asText(),
                d.path("status").asText(),
                d.path("attempts").asInt(),
                d.path("webhookId").asText(),
                d.path("eventType").asText(),
                d.path("lastError").asText().isEmpty()
                    ? ""
                    : " lastError=\"" + d.path("lastError").asText() + "\"");
      }
      options.out().flush();
      return 0;
    }
  }
}
