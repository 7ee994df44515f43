package io.mamori.hub.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mamori genuine}: the manufacturer's list of genuine device identities. */
@Command(
    name = "genuine",
    mixinStandardHelpOptions = true,
    description = {
      "Import, list, show and revoke genuine device identities (serial numbers, hardware ids,"
          + " public-key SHA-256 hashes).",
      "A provisioning template with \"Mamori::GenuineIdentity\" admits only devices whose identity"
          + " is on this list and unused; it is marked used by the provisioned thing."
    },
    subcommands = {
      GenuineCommand.Import.class,
      GenuineCommand.ListIdentities.class,
      GenuineCommand.Show.class,
      GenuineCommand.Revoke.class
    })
final class GenuineCommand extends GroupCommand {
  static final String BASE = "/api/v1/genuine-identities";

  /** Identities per request; the hub takes at most 10 000 (each request is all or nothing). */
  static final int CHUNK = 5_000;

  static String path(String kind, String value) {
    return BASE + "/" + ApiClient.segment(kind) + "/" + ApiClient.segment(value);
  }

  /** {@code mamori genuine import --file ids.csv|ids.jsonl [--kind KIND]}. */
  @Command(
      name = "import",
      mixinStandardHelpOptions = true,
      description = {
        "Import identities. CSV: one 'kind,value' per line (a 'kind,value' header and # comments"
            + " are skipped), or one value per line with --kind. JSON lines (*.jsonl):"
            + " {\"kind\": \"SerialNumber\", \"value\": \"A1\"}, kind defaulting to --kind.",
        "Kinds: SerialNumber, HardwareId, PublicKeySha256 (hex SHA-256 of the DER public key:"
            + " openssl pkey -pubin -outform DER | sha256sum). Identities already listed keep"
            + " their state."
      })
  static final class Import implements Callable<Integer> {
    @Mixin ClientOptions options;

    @Option(names = "--file", required = true, paramLabel = "FILE", description = "CSV or JSONL.")
    Path file;

    @Option(names = "--kind", paramLabel = "KIND", description = "Kind of lines that name none.")
    Optional<String> kind = Optional.empty();

    @Override
    public Integer call() {
      List<ObjectNode> entries = read();
      if (entries.isEmpty()) {
        throw new CliFailure(file + " holds no identity");
      }
      int added = 0;
      int listed = 0;
      for (int start = 0; start < entries.size(); start += CHUNK) {
        ObjectNode body = options.json().createObjectNode();
        ArrayNode items = body.putArray("identities");
        entries.subList(start, Math.min(entries.size(), start + CHUNK)).forEach(items::add);
        JsonNode answer = options.client().post(BASE, body);
        added += answer.path("added").asInt();
        listed += answer.path("alreadyListed").asInt();
      }
      options
          .out()
          .printf(
              "imported %d identities: %d new, %d already listed%n", added + listed, added, listed);
      return 0;
    }

    private List<ObjectNode> read() {
      List<String> lines;
      try {
        lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw CliFailure.unreadable("the --file", file, e);
      }
      boolean jsonLines = file.getFileName().toString().endsWith(".jsonl");
      List<ObjectNode> out = new ArrayList<>();
      for (int i = 0; i < lines.size(); i++) {
        String line = lines.get(i).strip();
        if (line.isEmpty() || line.startsWith("#") || line.equalsIgnoreCase("kind,value")) {
          continue;
        }
        String where = file.getFileName() + " line " + (i + 1);
        String lineKind;
        String value;
        if (jsonLines) {
          JsonNode node;
          try {
            node = options.json().readTree(line);
          } catch (IOException e) {
            throw new CliFailure(where + ": not a JSON object");
          }
          lineKind = node.path("kind").asText(kind.orElse(""));
          value = node.path("value").asText("");
        } else {
          int comma = line.indexOf(',');
          lineKind = comma < 0 ? kind.orElse("") : line.substring(0, comma).strip();
          value = comma < 0 ? line : line.substring(comma + 1).strip();
        }
        if (lineKind.isEmpty() || value.isEmpty()) {
          throw new CliFailure(where + ": needs a kind and a value (or give --kind)");
        }
        out.add(options.json().createObjectNode().put("kind", lineKind).put("value", value));
      }
      return out;
    }
  }

  /** {@code mamori genuine list [--kind K] [--status S] [--limit N]}. */
  @Command(name = "list", mixinStandardHelpOptions = true, description = "List identities.")
  static final class ListIdentities implements Callable<Integer> {
    @Mixin ClientOptions options;
    @Mixin JsonOption json;

    @Option(names = "--kind", paramLabel = "KIND", description = "Only this kind.")
    Optional<String> kind = Optional.empty();

    @Option(names = "--status", paramLabel = "S", description = "AVAILABLE, USED or REVOKED.")
    Optional<String> status = Optional.empty();

    @Option(
        names = "--limit",
        defaultValue = "100",
        paramLabel = "N",
        description = "At most N (1-1000, default ${DEFAULT-VALUE}).")
    int limit;

    @Override
    public Integer call() {
      StringBuilder query = new StringBuilder("?limit=" + limit);
      kind.ifPresent(k -> query.append("&kind=").append(ApiClient.segment(k)));
      status.ifPresent(s -> query.append("&status=").append(ApiClient.segment(s)));
      options.print(json, options.client().get(BASE + query), this::printTable);
      return 0;
    }

    private void printTable(JsonNode answer) {
      List<List<String>> rows = new ArrayList<>();
      for (JsonNode i : answer.path("identities")) {
        rows.add(
            List.of(
                i.path("kind").asText(),
                i.path("value").asText(),
                i.path("status").asText(),
                i.path("thingName").asText("-")));
      }
      TextOutput.table(options.out(), List.of("KIND", "VALUE", "STATUS", "THING"), rows);
    }
  }

  /** The identity a command works on: its kind and value. */
  static final class IdentityRef {
    @Parameters(index = "0", paramLabel = "KIND", description = "SerialNumber, HardwareId, ...")
    String kind;

    @Parameters(index = "1", paramLabel = "VALUE", description = "The identity.")
    String value;

    String path() {
      return GenuineCommand.path(kind, value);
    }
  }

  /** {@code mamori genuine show KIND VALUE}. */
  @Command(name = "show", mixinStandardHelpOptions = true, description = "Show one identity.")
  static final class Show implements Callable<Integer> {
    @Mixin ClientOptions options;
    @Mixin JsonOption json;
    @Mixin IdentityRef identity;

    @Override
    public Integer call() {
      options.print(json, options.client().get(identity.path()), i -> print(options, i));
      return 0;
    }
  }

  /** {@code mamori genuine revoke KIND VALUE}. */
  @Command(
      name = "revoke",
      mixinStandardHelpOptions = true,
      description = "Make an identity unusable (a leaked or stolen serial).")
  static final class Revoke implements Callable<Integer> {
    @Mixin ClientOptions options;
    @Mixin IdentityRef identity;

    @Override
    public Integer call() {
      JsonNode i =
          options.client().post(identity.path() + "/revoke", options.json().createObjectNode());
      print(options, i);
      return 0;
    }
  }

  private static void print(ClientOptions options, JsonNode i) {
    TextOutput.fields(
        options.out(),
        List.of(
            TextOutput.field("kind", i.path("kind").asText()),
            TextOutput.field("value", i.path("value").asText()),
            TextOutput.field("status", i.path("status").asText()),
            TextOutput.field("thing", i.path("thingName").asText("-")),
            TextOutput.field("certificate", i.path("certificateId").asText("-")),
            TextOutput.field("imported", i.path("importedAt").asText()),
            TextOutput.field("used", i.path("usedAt").asText("-")),
            TextOutput.field("revoked", i.path("revokedAt").asText("-"))));
  }
}
