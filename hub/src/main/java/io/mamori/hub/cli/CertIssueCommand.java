package io.mamori.hub.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code mamori cert issue}: has the hub issue a device certificate and writes the files a device
 * needs; prints the certificate id alone so scripts can capture it.
 */
@Command(
    name = "issue",
    mixinStandardHelpOptions = true,
    description = {
      "Issue a device certificate for a thing and attach it (and the policy, if given).",
      "Writes DIR/NAME.crt, DIR/ca.crt and, unless --csr is given, DIR/NAME.key (owner-only)."
          + " Prints the certificate id."
    })
final class CertIssueCommand implements Callable<Integer> {
  @Mixin ClientOptions options;

  @Option(names = "--thing", required = true, paramLabel = "NAME", description = "Thing name.")
  String thing;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "DIR",
      description = "Directory to write the files to (created if missing).")
  Path out;

  @Option(names = "--policy", paramLabel = "POLICY", description = "Policy to attach.")
  Optional<String> policy = Optional.empty();

  @Option(
      names = "--csr",
      paramLabel = "FILE",
      description = "PKCS#10 CSR (PEM) made on the device; the key never leaves it.")
  Optional<Path> csr = Optional.empty();

  @Option(
      names = "--days",
      paramLabel = "N",
      description = "Validity in days (default: the hub's).")
  Optional<Integer> days = Optional.empty();

  @Override
  public Integer call() {
    var body = options.json().createObjectNode().put("thingName", thing);
    csr.ifPresent(file -> body.put("csr", read(file)));
    policy.ifPresent(p -> body.put("policyName", p));
    days.ifPresent(d -> body.put("days", d));
    JsonNode issued = options.client().post("/api/v1/certificates", body);
    try {
      Files.createDirectories(out);
      if (issued.hasNonNull("privateKeyPem")) {
        // The private key exists only in this answer: write it owner-only from the first byte.
        write(out.resolve(thing + ".key"), issued.path("privateKeyPem").asText(), true);
      }
      write(out.resolve(thing + ".crt"), issued.path("certificatePem").asText(), false);
      write(out.resolve("ca.crt"), issued.path("caCertificatesPem").asText(), false);
    } catch (IOException e) {
      throw new CliFailure(
          "certificate "
              + issued.path("certificateId").asText()
              + " was issued but writing to "
              + out
              + " failed: "
              + e);
    }
    options.out().println(issued.path("certificateId").asText());
    return 0;
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw CliFailure.unreadable("the CSR", file, e);
    }
  }

  /** Writes through a temporary file in the same directory and renames, replacing old files. */
  private static void write(Path file, String content, boolean ownerOnly) throws IOException {
    FileAttribute<?>[] attributes =
        ownerOnly
            ? new FileAttribute<?>[] {
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))
            }
            : new FileAttribute<?>[0];
    Path temp =
        Files.createTempFile(file.toAbsolutePath().getParent(), ".mamori", ".tmp", attributes);
    try {
      Files.writeString(temp, content, StandardCharsets.US_ASCII);
      if (!ownerOnly) {
        // createTempFile is always 600; public certificates are world-readable like any cert.
        Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-r--r--"));
      }
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(temp);
    }
  }
}
