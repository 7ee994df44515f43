package io.mamori.hub.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code mamori cert expiring}: device and CA certificates expiring soon. */
@Command(
    name = "expiring",
    mixinStandardHelpOptions = true,
    description =
        "List device certificates, registered CAs and the hub's own CA certificates (not revoked)"
            + " that expire within N days, soonest first; already expired ones too.")
final class CertExpiringCommand implements Callable<Integer> {
  @Mixin ClientOptions options;
  @Mixin JsonOption json;

  @Option(
      names = "--days",
      paramLabel = "N",
      defaultValue = "30",
      description = "Window in days. Default: ${DEFAULT-VALUE}.")
  int days;

  @Override
  public Integer call() {
    JsonNode answer = options.client().get("/api/v1/expiring-certificates?days=" + days);
    if (json.enabled) {
      options.printJson(answer);
      return 0;
    }
    List<List<String>> rows = new ArrayList<>();
    for (JsonNode c : answer.path("certificates")) {
      rows.add(
          List.of(
              c.path("id").asText(),
              c.path("kind").asText(),
              c.path("status").asText(),
              c.path("notAfter").asText(),
              c.path("subject").asText()));
    }
    TextOutput.table(options.out(), List.of("ID", "KIND", "STATUS", "NOT AFTER", "SUBJECT"), rows);
    return 0;
  }
}
