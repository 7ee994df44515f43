package io.mamori.hub.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code mamori policy test}: asks the hub how the policies attached to a certificate decide one
 * action, and which statement decided.
 */
@Command(
    name = "test",
    mixinStandardHelpOptions = true,
    description = {
      "Show whether a certificate's policies allow an action on a resource, and which statement"
          + " decided (policy variables resolved).",
      "RESOURCE is a topic (iot:Publish, iot:Receive, iot:RetainPublish), a topic filter"
          + " (iot:Subscribe) or a client id (iot:Connect); it may also be given in full as an ARN"
          + " (arn:aws:iot:...) or in short form (topic/..., topicfilter/..., client/...)."
    })
final class PolicyTestCommand implements Callable<Integer> {
  @Mixin ClientOptions options;
  @Mixin JsonOption json;

  @Option(names = "--cert", required = true, paramLabel = "ID", description = "Certificate id.")
  String certificateId;

  @Option(
      names = "--action",
      required = true,
      paramLabel = "ACTION",
      description = "iot:Connect, iot:Publish, iot:Subscribe, iot:Receive or iot:RetainPublish.")
  String action;

  @Option(
      names = "--resource",
      required = true,
      paramLabel = "RESOURCE",
      description = "Topic, topic filter or client id (see above).")
  String resource;

  @Option(
      names = "--client-id",
      paramLabel = "ID",
      description = "MQTT client id to assume for $${iot:ClientId} (default: chosen by the hub).")
  Optional<String> clientId = Optional.empty();

  @Override
  public Integer call() {
    var body =
        options
            .json()
            .createObjectNode()
            .put("certificateId", certificateId)
            .put("action", action)
            .put("resource", resourceFor(action, resource));
    clientId.ifPresent(id -> body.put("clientId", id));
    JsonNode result = options.client().post("/api/v1/authorization/test", body);
    if (json.enabled) {
      options.printJson(result);
      return 0;
    }
    List<String[]> fields = new ArrayList<>();
    fields.add(TextOutput.field("result", result.path("allowed").asBoolean() ? "allow" : "deny"));
    fields.add(TextOutput.field("decision", result.path("decision").asText()));
    fields.add(TextOutput.field("policy", result.path("policyName").asText("-")));
    fields.add(TextOutput.field("statement", result.path("statementIndex").asText("-")));
    fields.add(TextOutput.field("resource", result.path("resource").asText()));
    fields.add(TextOutput.field("explanation", result.path("explanation").asText()));
    TextOutput.fields(options.out(), fields);
    return 0;
  }

  /**
   * The resource the API evaluates: an ARN or the short form matching the action is passed on as
   * given; anything else is the bare topic, filter or client id and gets the action's prefix (AWS
   * reference §5.2: Connect on client/, Subscribe on topicfilter/, the others on topic/). So a
   * topic that itself begins with "topic/" must be written in short form: topic/topic/....
   */
  static String resourceFor(String action, String resource) {
    if (resource.startsWith("arn:")) {
      return resource;
    }
    String prefix =
        switch (action) {
          case "iot:Connect" -> "client/";
          case "iot:Subscribe" -> "topicfilter/";
          case "iot:Publish", "iot:Receive", "iot:RetainPublish" -> "topic/";
          default -> "";
        };
    return resource.startsWith(prefix) ? resource : prefix + resource;
  }
}
