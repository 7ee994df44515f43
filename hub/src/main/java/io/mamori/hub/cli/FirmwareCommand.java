package io.mamori.hub.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mamori firmware}: signed firmware images for OTA jobs. */
@Command(
    name = "firmware",
    mixinStandardHelpOptions = true,
    description =
        "Upload and list firmware images; the hub signs each with its code-signing key"
            + " (ECDSA P-256/SHA-256, not a CA key).",
    subcommands = {
      FirmwareCommand.Upload.class,
      FirmwareCommand.ListFirmware.class,
      FirmwareCommand.SigningCertificate.class
    })
final class FirmwareCommand extends GroupCommand {

  /** {@code mamori firmware upload FILE --version V}. */
  @Command(
      name = "upload",
      description =
          "Upload a firmware image (<= 32 MiB); prints its id, the SHA-256 of its bytes. Use it"
              + " with 'mamori job create JOBID --ota ID --targets ...'.")
  static final class Upload implements Callable<Integer> {
    @Mixin ClientOptions options;

    // No mixinStandardHelpOptions: its -V/--version would take the firmware's --version.
    @Option(
        names = {"-h", "--help"},
        usageHelp = true,
        description = "Show this help message and exit.")
    boolean help;

    @Parameters(paramLabel = "FILE", description = "The firmware image.")
    Path file;

    @Option(
        names = "--version",
        required = true,
        paramLabel = "V",
        description = "Its version, unique (letters, digits, '.', '_', '+', '-').")
    String version;

    @Override
    public Integer call() {
      byte[] content;
      try {
        content = Files.readAllBytes(file);
      } catch (IOException e) {
        throw CliFailure.unreadable("the firmware image", file, e);
      }
      JsonNode answer =
          options
              .client()
              .upload(
                  "/api/v1/firmware?version=" + URLEncoder.encode(version, StandardCharsets.UTF_8),
                  content);
      options.out().println(answer.path("firmwareId").asText());
      return 0;
    }
  }

  /** {@code mamori firmware list}. */
  @Command(name = "list", mixinStandardHelpOptions = true, description = "List firmware images.")
  static final class ListFirmware implements Callable<Integer> {
    @Mixin ClientOptions options;
    @Mixin JsonOption json;

    @Override
    public Integer call() {
      JsonNode answer = options.client().get("/api/v1/firmware");
      if (json.enabled) {
        options.printJson(answer);
        return 0;
      }
      List<List<String>> rows = new ArrayList<>();
      for (JsonNode f : answer.path("firmware")) {
        rows.add(
            List.of(
                f.path("version").asText(),
                f.path("size").asText(),
                f.path("firmwareId").asText()));
      }
      TextOutput.table(options.out(), List.of("VERSION", "BYTES", "FIRMWARE ID (SHA-256)"), rows);
      return 0;
    }
  }

  /** {@code mamori firmware signing-cert}. */
  @Command(
      name = "signing-cert",
      mixinStandardHelpOptions = true,
      description =
          "Print the code-signing certificate (PEM) for devices to pin, e.g. mamori-agent run"
              + " --signing-cert FILE.")
  static final class SigningCertificate implements Callable<Integer> {
    @Mixin ClientOptions options;

    @Override
    public Integer call() {
      options.out().print(options.client().getText("/api/v1/firmware/signing-certificate"));
      options.out().flush();
      return 0;
    }
  }
}
