package io.mamori.hub.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code mamori provision}: registering devices through provisioning templates. */
@Command(
    name = "provision",
    mixinStandardHelpOptions = true,
    description = "Register devices through a provisioning template.",
    subcommands = {ProvisionCommand.Bulk.class})
final class ProvisionCommand extends GroupCommand {

  /** {@code mamori provision bulk --template NAME --input devices.jsonl}. */
  @Command(
      name = "bulk",
      mixinStandardHelpOptions = true,
      description = {
        "Register many devices through a template (the hub must be running). One JSON line per"
            + " device: {\"parameters\": {...}, \"csr\": PEM} (or \"csrFile\", \"certificate\","
            + " \"certificateFile\"; files relative to the input file).",
        "Each line is all or nothing: certificate (signed from the CSR, or registered if issued by"
            + " the hub's CA or a registered CA), thing and policies as the template says. Running"
            + " the same file again reports lines already applied as ALREADY_DONE and creates"
            + " nothing twice.",
        "Results: one JSON line per input line {line, thingName, certificateId, status, reason}."
            + " Exit code 0 when no line failed, 1 otherwise."
      })
  static final class Bulk implements Callable<Integer> {
    @Mixin ClientOptions options;

    @Option(names = "--template", required = true, paramLabel = "NAME", description = "Template.")
    String template;

    @Option(names = "--input", required = true, paramLabel = "FILE", description = "JSON lines.")
    Path input;

    @Option(
        names = "--results",
        paramLabel = "FILE",
        description = "Results file, appended to (default: INPUT.results.jsonl).")
    Optional<Path> results = Optional.empty();

    @Option(
        names = "--out",
        paramLabel = "DIR",
        description = "Write each newly signed certificate to DIR/<thingName>.crt.")
    Optional<Path> out = Optional.empty();

    @Option(
        names = "--batch-size",
        defaultValue = "100",
        paramLabel = "N",
        description = "Lines per request, 1 to 500 (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Override
    public Integer call() {
      if (batchSize < 1 || batchSize > 500) {
        throw new CliFailure("--batch-size must be 1 to 500, got " + batchSize);
      }
      List<BulkInputs.JsonLine> lines = BulkInputs.jsonLines(input, options.json());
      Path resultsFile =
          results.orElseGet(() -> input.resolveSibling(input.getFileName() + ".results.jsonl"));
      out.ifPresent(Bulk::createDirectory);
      var err = options.command.commandLine().getErr();
      BulkProgress progress =
          new BulkProgress(err, System.console() != null, lines.size(), "lines", "processed");
      int[] counts = new int[3]; // registered, already done, failed
      ApiClient client = options.client();
      String path = TemplateCommand.path(template) + "/bulk";
      try (BulkResults file = new BulkResults(resultsFile, options.json())) {
        for (int start = 0; start < lines.size(); start += batchSize) {
          List<ObjectNode> written = new ArrayList<>();
          ObjectNode body = options.json().createObjectNode();
          ArrayNode requestLines = body.putArray("lines");
          for (BulkInputs.JsonLine line :
              lines.subList(start, Math.min(lines.size(), start + batchSize))) {
            Optional<String> problem = line.problem();
            if (problem.isEmpty()) {
              try {
                requestLines.add(requestLine(line));
              } catch (IllegalArgumentException e) {
                problem = Optional.of(e.getMessage());
              }
            }
            problem.ifPresent(
                p ->
                    written.add(
                        options
                            .json()
                            .createObjectNode()
                            .put("line", line.number())
                            .put("status", "FAILED")
                            .put("reason", p)));
          }
          if (!requestLines.isEmpty()) {
            for (JsonNode result : client.post(path, body).path("results")) {
              written.add(resultLine(result));
            }
          }
          written.sort(Comparator.comparingInt(n -> n.path("line").asInt()));
          int failed = 0;
          for (ObjectNode line : written) {
            switch (line.path("status").asText()) {
              case "REGISTERED" -> counts[0]++;
              case "ALREADY_DONE" -> counts[1]++;
              default -> {
                counts[2]++;
                failed++;
              }
            }
          }
          file.append(written);
          progress.advance(written.size() - failed, failed);
        }
      }
      progress.finish();
      options
          .out()
          .printf(
              "template %s: %d registered, %d already done, %d failed in %.1f s; results in %s%n",
              template, counts[0], counts[1], counts[2], progress.seconds(), resultsFile);
      options.out().flush();
      if (counts[2] > 0) {
        throw new CliFailure(
            counts[2] + " of " + lines.size() + " lines failed; reasons in " + resultsFile);
      }
      return 0;
    }

    /** The request form of a line; IllegalArgumentException says why it cannot be sent. */
    private ObjectNode requestLine(BulkInputs.JsonLine line) {
      JsonNode node = line.node().orElseThrow();
      Optional<String> csr = BulkInputs.pem(node, "csr", "csrFile", input);
      Optional<String> certificate = BulkInputs.pem(node, "certificate", "certificateFile", input);
      if (csr.isPresent() == certificate.isPresent()) {
        throw new IllegalArgumentException(
            "needs exactly one of \"csr\", \"csrFile\", \"certificate\", \"certificateFile\"");
      }
      JsonNode parameters = node.path("parameters");
      if (!parameters.isMissingNode() && !parameters.isObject()) {
        throw new IllegalArgumentException("\"parameters\" must be an object of strings");
      }
      ObjectNode request = options.json().createObjectNode().put("line", line.number());
      request.set(
          "parameters", parameters.isObject() ? parameters : options.json().createObjectNode());
      csr.ifPresent(c -> request.put("certificateSigningRequest", c));
      certificate.ifPresent(c -> request.put("certificatePem", c));
      return request;
    }

    private ObjectNode resultLine(JsonNode result) {
      ObjectNode line = options.json().createObjectNode().put("line", result.path("line").asInt());
      if (result.hasNonNull("thingName")) {
        line.put("thingName", result.path("thingName").asText());
      }
      if (result.hasNonNull("certificateId")) {
        line.put("certificateId", result.path("certificateId").asText());
      }
      line.put("status", result.path("status").asText());
      if (result.hasNonNull("reason")) {
        line.put("reason", result.path("reason").asText());
      }
      if (out.isPresent() && result.hasNonNull("certificatePem")) {
        String name = result.path("thingName").asText("line-" + result.path("line").asInt());
        Path file = out.get().resolve(name + ".crt");
        try {
          Files.writeString(
              file, result.path("certificatePem").asText(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
          throw new CliFailure("cannot write " + file + ": " + e);
        }
        line.put("file", file.getFileName().toString());
      }
      return line;
    }

    private static void createDirectory(Path dir) {
      try {
        Files.createDirectories(dir);
      } catch (IOException e) {
        throw new CliFailure("cannot create --out " + dir + ": " + e);
      }
    }
  }
}
