package io.mamori.hub.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code mamori cert issue-bulk}: issues certificates for many CSRs through the running hub's batch
 * endpoint, writes them to a folder with a results file, and resumes where an interrupted run
 * stopped without issuing any certificate twice.
 */
@Command(
    name = "issue-bulk",
    mixinStandardHelpOptions = true,
    description = {
      "Issue device certificates for many CSRs at factory speed (the hub must be running).",
      "Writes OUT/<thing>.crt, OUT/ca.crt and OUT/results.jsonl (one line per input: certificateId"
          + " and file, or error). Run it again after an interruption: inputs already issued are"
          + " skipped, and an input whose answer was lost gets the certificate already issued for"
          + " its key (same batch id, kept in OUT/.batch-id), never a second one.",
      "Exit code 0 when every input got a certificate, 1 when some failed (reasons in"
          + " results.jsonl)."
    })
final class CertIssueBulkCommand implements Callable<Integer> {
  static final String RESULTS_FILE = "results.jsonl";
  static final String BATCH_ID_FILE = ".batch-id";

  @Mixin ClientOptions options;

  @ArgGroup(multiplicity = "1")
  Source source;

  static final class Source {
    @Option(
        names = "--csr-dir",
        paramLabel = "DIR",
        description = "Folder of *.csr / *.pem CSRs; the thing name is the file name.")
    Path csrDir;

    @Option(
        names = "--input",
        paramLabel = "FILE",
        description =
            "JSON lines: {\"thingName\": .., \"csr\": PEM} or {\"thingName\": .., \"csrFile\": path}.")
    Path input;
  }

  @Option(
      names = "--out",
      required = true,
      paramLabel = "DIR",
      description = "Folder for certificates and results.jsonl (created if missing).")
  Path out;

  @Option(names = "--policy", paramLabel = "POLICY", description = "Policy to attach to each.")
  Optional<String> policy = Optional.empty();

  @Option(names = "--days", paramLabel = "N", description = "Validity in days (default: hub's).")
  Optional<Integer> days = Optional.empty();

  @Option(
      names = "--create-things",
      description = "Create things that do not exist yet (else their inputs fail).")
  boolean createThings;

  @Option(
      names = "--batch-size",
      defaultValue = "500",
      paramLabel = "N",
      description = "CSRs per request, 1 to 500 (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(
      names = "--parallel",
      defaultValue = "3",
      paramLabel = "N",
      // Three: while the hub stores one request (one thread), two others keep both cores signing.
      description = "Requests in flight at once, 1 to 4 (default: ${DEFAULT-VALUE}).")
  int parallel;

  @Option(
      names = "--batch-id",
      paramLabel = "ID",
      description = "Name of the production run (default: kept in OUT/.batch-id).")
  Optional<String> batchId = Optional.empty();

  @Override
  public Integer call() throws Exception {
    if (batchSize < 1 || batchSize > 500) {
      throw new CliFailure("--batch-size must be 1 to 500, got " + batchSize);
    }
    // The admin API serves four requests at once (AdminApiServer); a fifth connection would wait
    // for a free thread for its TLS handshake and could time out under a long batch.
    if (parallel < 1 || parallel > 4) {
      throw new CliFailure(
          "--parallel must be 1 to 4 (the hub serves 4 API requests at once), got " + parallel);
    }
    List<BulkInputs.Input> inputs =
        source.csrDir != null
            ? BulkInputs.fromDirectory(source.csrDir)
            : BulkInputs.fromJsonLines(source.input, options.json());
    createDirectory(out);
    String batch = batchId.orElseGet(this::storedBatchId);
    Path resultsFile = out.resolve(RESULTS_FILE);
    Set<String> done = BulkResults.done(resultsFile, out, options.json());
    List<BulkInputs.Input> todo = inputs.stream().filter(i -> !done.contains(i.id())).toList();
    var err = options.command.commandLine().getErr();
    if (!done.isEmpty()) {
      err.printf(
          "resuming batch %s: %d of %d inputs already done%n", batch, done.size(), inputs.size());
    }
    ApiClient client = options.client();
    BulkProgress progress = new BulkProgress(err, System.console() != null, todo.size());
    AtomicInteger issued = new AtomicInteger();
    AtomicInteger existing = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    try (BulkResults results = new BulkResults(resultsFile, options.json())) {
      ExecutorService senders = Executors.newFixedThreadPool(parallel);
      try {
        List<Future<?>> sent = new ArrayList<>();
        for (int start = 0; start < todo.size(); start += batchSize) {
          List<BulkInputs.Input> chunk =
              todo.subList(start, Math.min(todo.size(), start + batchSize));
          sent.add(
              senders.submit(
                  () -> {
                    Counts counts = send(client, batch, chunk, results);
                    issued.addAndGet(counts.issued());
                    existing.addAndGet(counts.existing());
                    failed.addAndGet(counts.failed());
                    progress.advance(counts.issued() + counts.existing(), counts.failed());
                    return null;
                  }));
        }
        for (Future<?> future : sent) {
          try {
            future.get();
          } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new CliFailure(e.toString());
          }
        }
      } finally {
        senders.shutdownNow();
      }
    }
    progress.finish();
    double seconds = progress.seconds();
    int total = issued.get() + existing.get();
    options
        .out()
        .printf(
            "batch %s: %d issued, %d already issued, %d failed, %d skipped (done before) in %.1f s"
                + " (%d certs/s); results in %s%n",
            batch,
            issued.get(),
            existing.get(),
            failed.get(),
            done.size(),
            seconds,
            seconds > 0 ? Math.round(total / seconds) : 0,
            resultsFile);
    options.out().flush();
    if (failed.get() > 0) {
      throw new CliFailure(
          failed.get() + " of " + todo.size() + " inputs failed; reasons in " + resultsFile);
    }
    return 0;
  }

  private record Counts(int issued, int existing, int failed) {}

  /** One request; certificate files first, then their result lines (forced to disk). */
  private Counts send(
      ApiClient client, String batch, List<BulkInputs.Input> chunk, BulkResults results) {
    List<ObjectNode> lines = new ArrayList<>();
    List<BulkInputs.Input> sendable = new ArrayList<>();
    for (BulkInputs.Input input : chunk) {
      if (input.problem().isPresent()) {
        lines.add(results.line(input.id(), input.thingName()).put("error", input.problem().get()));
      } else {
        sendable.add(input);
      }
    }
    int issued = 0;
    int existing = 0;
    if (!sendable.isEmpty()) {
      ObjectNode body =
          options.json().createObjectNode().put("batchId", batch).put("createThings", createThings);
      ArrayNode items = body.putArray("items");
      for (BulkInputs.Input input : sendable) {
        ObjectNode item =
            items.addObject().put("thingName", input.thingName()).put("csr", input.csrPem());
        policy.ifPresent(p -> item.put("policyName", p));
        days.ifPresent(d -> item.put("days", d));
      }
      JsonNode answer = client.post("/api/v1/certificates/batch", body);
      writeOnce(out.resolve("ca.crt"), answer.path("caCertificatesPem").asText());
      for (JsonNode result : answer.path("results")) {
        BulkInputs.Input input = sendable.get(result.path("index").asInt());
        ObjectNode line = results.line(input.id(), input.thingName());
        if (result.hasNonNull("certificateId")) {
          String file = safeFileName(input.thingName()) + ".crt";
          write(out.resolve(file), result.path("certificatePem").asText());
          line.put("certificateId", result.path("certificateId").asText()).put("file", file);
          if (result.path("existing").asBoolean()) {
            existing++;
          } else {
            issued++;
          }
        } else {
          line.put("error", result.path("error").asText("no reason given"));
        }
        lines.add(line);
      }
    }
    results.append(lines);
    return new Counts(issued, existing, lines.size() - issued - existing);
  }

  /** The batch id of this output folder: kept so a re-run belongs to the same batch. */
  private String storedBatchId() {
    Path file = out.resolve(BATCH_ID_FILE);
    try {
      if (Files.exists(file)) {
        return Files.readString(file, StandardCharsets.US_ASCII).strip();
      }
      String id = "bulk-" + UUID.randomUUID();
      write(file, id + "\n");
      return id;
    } catch (IOException e) {
      throw CliFailure.unreadable("the batch id", file, e);
    }
  }

  private static String safeFileName(String thing) {
    return thing.replaceAll("[^A-Za-z0-9_.:-]", "_");
  }

  private static void createDirectory(Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new CliFailure("cannot create --out " + dir + ": " + e);
    }
  }

  private static synchronized void writeOnce(Path file, String content) {
    if (!Files.exists(file)) {
      write(file, content);
    }
  }

  /**
   * Through a temporary file and a rename: a file is whole or absent. The temporary name is the
   * target's plus ".tmp" (the target is unique within the folder, so is its temporary file), and
   * the mode is the umask's: certificates are public. Three system calls per file; a random
   * temporary name and a chmod cost two more for each of 20,000 certificates.
   */
  private static void write(Path file, String content) {
    Path temp = file.resolveSibling(file.getFileName() + ".tmp");
    try {
      Files.writeString(temp, content, StandardCharsets.US_ASCII);
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      try {
        Files.deleteIfExists(temp);
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw new CliFailure("cannot write " + file + ": " + e);
    }
  }
}
