package io.mamori.hub.cli;

import io.mamori.hub.audit.AuditReader;
import io.mamori.hub.audit.AuditVerification;
import io.mamori.hub.audit.AuditVerifier;
import io.mamori.hub.pki.Pem;
import io.mamori.hub.pki.PemFormatException;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code mamori audit}: offline, read-only work on the audit log files (allowed while the hub runs,
 * and on a backup copy).
 */
@Command(
    name = "audit",
    mixinStandardHelpOptions = true,
    description = "Verify and export the tamper-evident audit log (reads the files directly).",
    subcommands = {AuditCommand.Verify.class, AuditCommand.Export.class})
final class AuditCommand extends GroupCommand {

  /** Where the log is: {@code DATA/audit}, or a copy given with {@code --dir}. */
  static final class Location {
    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(
        names = "--data",
        paramLabel = "DIR",
        defaultValue = "${env:MAMORI_DATA:-./mamori-data}",
        description = "Hub data directory; the log is DIR/audit (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(
        names = "--dir",
        paramLabel = "LOGDIR",
        description = "Read this audit log directory instead, e.g. an --audit-copy-dir backup.")
    Optional<Path> logDir = Optional.empty();

    Path logDir() {
      Path dir = logDir.orElseGet(() -> dataDir.resolve("audit"));
      if (!Files.isDirectory(dir)) {
        throw new CliFailure("no audit log at " + dir + " (wrong --data or --dir?)");
      }
      return dir;
    }

    PrintWriter out() {
      return command.commandLine().getOut();
    }
  }

  /** {@code mamori audit verify}. */
  @Command(
      name = "verify",
      mixinStandardHelpOptions = true,
      description = {
        "Check the hash chain and the signed checkpoints of the audit log; name the file, line",
        "and sequence number of every edited, deleted, inserted or reordered record.",
        "Exit status 0 when intact, 1 when anything was tampered with or damaged."
      })
  static final class Verify implements Callable<Integer> {
    @Mixin Location location;

    @Option(
        names = "--trusted-cert",
        paramLabel = "FILE",
        description =
            "Audit key certificate to trust (default: LOGDIR/audit-signing.crt; keep a copy"
                + " elsewhere, since whoever can edit the log can replace that file too).")
    Optional<Path> trustedCertificate = Optional.empty();

    @Override
    public Integer call() {
      Path dir = location.logDir();
      Path certFile = trustedCertificate.orElse(dir.resolve("audit-signing.crt"));
      X509Certificate certificate;
      try {
        certificate = Pem.parseCertificate(Files.readString(certFile));
      } catch (IOException e) {
        throw CliFailure.unreadable("the audit key certificate", certFile, e);
      } catch (PemFormatException e) {
        throw new CliFailure("the audit key certificate " + certFile + " is not a PEM certificate");
      }
      AuditVerification result = new AuditVerifier(certificate.getPublicKey()).verify(dir);
      PrintWriter out = location.out();
      result.problems().forEach(p -> out.println("TAMPERED " + p));
      result.notes().forEach(n -> out.println("note " + n));
      out.printf(
          "%s: %d records, last seq %d, %d valid checkpoints (signed up to seq %d), key %s%n",
          result.intact() ? "audit log intact" : "audit log FAILED verification",
          result.records(),
          result.lastSeq(),
          result.checkpoints(),
          result.lastCheckpointSeq(),
          result.keyId());
      out.flush();
      if (!result.intact()) {
        throw new CliFailure(
            "audit log verification failed: " + result.problems().size() + " problem(s) in " + dir);
      }
      return 0;
    }
  }

  /** {@code mamori audit export}. */
  @Command(
      name = "export",
      mixinStandardHelpOptions = true,
      description = {
        "Write audit records as JSON lines, exactly as stored (each with seq, prev and hash),",
        "to stdout or --out."
      })
  static final class Export implements Callable<Integer> {
    @Mixin Location location;

    @Option(
        names = "--since",
        paramLabel = "TIME",
        description = "Only records appended at or after this ISO-8601 instant.")
    String since;

    @Option(
        names = "--until",
        paramLabel = "TIME",
        description = "Only records appended before this ISO-8601 instant.")
    String until;

    @Option(
        names = "--out",
        paramLabel = "FILE",
        description = "Write here (created readable by the owner only) instead of stdout.")
    Optional<Path> out = Optional.empty();

    @Override
    public Integer call() throws IOException {
      AuditReader.Query query;
      try {
        query =
            new AuditReader.Query(
                instant("--since", since), instant("--until", until), 0, Integer.MAX_VALUE);
      } catch (IllegalArgumentException e) {
        throw new CliFailure(e.getMessage());
      }
      AuditReader reader = new AuditReader(location.logDir());
      try (Writer writer = open()) {
        long skipped =
            reader.scan(
                query,
                line -> {
                  writer.write(line.text());
                  writer.write('\n');
                  return true;
                });
        if (skipped > 0) {
          location
              .command
              .commandLine()
              .getErr()
              .println(
                  "mamori: skipped " + skipped + " unreadable line(s); run 'mamori audit verify'");
        }
      }
      return 0;
    }

    private Writer open() throws IOException {
      if (out.isEmpty()) {
        return new NonClosingWriter(location.out());
      }
      Path file = out.get();
      try {
        Files.deleteIfExists(file);
        Files.createFile(
            file,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        return new BufferedWriter(
            new OutputStreamWriter(
                Files.newOutputStream(file, StandardOpenOption.TRUNCATE_EXISTING),
                StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new CliFailure("cannot write " + file + ": " + e.getMessage(), e);
      }
    }

    private static Optional<Instant> instant(String option, String value) {
      if (value == null) {
        return Optional.empty();
      }
      try {
        return Optional.of(Instant.parse(value));
      } catch (DateTimeParseException e) {
        throw new CliFailure(
            option + " must be an ISO-8601 instant like 2026-11-01T00:00:00Z, not '" + value + "'");
      }
    }
  }

  /** Picocli's stdout writer, flushed but left open for the caller. */
  private static final class NonClosingWriter extends java.io.FilterWriter {
    NonClosingWriter(PrintWriter out) {
      super(out);
    }

    @Override
    public void close() throws IOException {
      flush();
    }
  }
}
