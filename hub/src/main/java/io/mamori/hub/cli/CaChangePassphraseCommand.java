package io.mamori.hub.cli;

import io.mamori.hub.pki.CaKeyProtection;
import io.mamori.hub.pki.CaPassphrase;
import io.mamori.hub.pki.PassphraseChange;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code mamori ca change-passphrase}: re-encrypts the CA's private keys under a new passphrase, on
 * the data directory of a stopped hub (see {@link PassphraseChange} for why it is all or nothing).
 * Passphrases come from files or the environment, never from the command line, where other users of
 * the machine could read them in the process list.
 */
@Command(
    name = "change-passphrase",
    mixinStandardHelpOptions = true,
    description = {
      "Re-encrypt every private key of DIR/pki (root and issuing CA, OCSP signer, TLS server,"
          + " code signing) under a new passphrase. Offline: stop the hub first. All keys change"
          + " or none; an interrupted change is finished by the next run or hub start.",
      "The current passphrase: --passphrase-file, else env MAMORI_CA_PASSPHRASE, else the"
          + " generated DIR/ca-passphrase (deleted once the keys no longer use it). The new one:"
          + " --new-passphrase-file, else env MAMORI_CA_NEW_PASSPHRASE. Never on the command line."
    })
final class CaChangePassphraseCommand implements Callable<Integer> {
  static final String NEW_PASSPHRASE_VARIABLE = "MAMORI_CA_NEW_PASSPHRASE";

  @Spec CommandSpec spec;

  @Option(
      names = "--data",
      paramLabel = "DIR",
      defaultValue = "${env:MAMORI_DATA:-./mamori-data}",
      description =
          "Data directory of the stopped hub (default: ${DEFAULT-VALUE}; env MAMORI_DATA).")
  Path dataDir;

  @Option(
      names = "--passphrase-file",
      paramLabel = "FILE",
      description =
          "File whose first line is the current passphrase (else env MAMORI_CA_PASSPHRASE, else"
              + " DIR/ca-passphrase).")
  Optional<Path> currentFile = Optional.empty();

  @Option(
      names = "--new-passphrase-file",
      paramLabel = "FILE",
      description =
          "File whose first line is the new passphrase (else env MAMORI_CA_NEW_PASSPHRASE).")
  Optional<Path> newFile = Optional.empty();

  /** Reads environment variables; tests replace it. */
  UnaryOperator<String> environment = System::getenv;

  @Override
  public Integer call() {
    Path pkiDir = dataDir.resolve("pki");
    if (!Files.isDirectory(pkiDir)) {
      throw new CliFailure("no CA in " + dataDir + ": " + pkiDir + " does not exist");
    }
    CaPassphrase next =
        newFile
            .map(CaPassphrase::fromFile)
            .or(
                () ->
                    variable(NEW_PASSPHRASE_VARIABLE)
                        .map(v -> CaPassphrase.fromEnvironmentVariable(NEW_PASSPHRASE_VARIABLE, v)))
            .orElseThrow(
                () ->
                    new CliFailure(
                        "no new passphrase: give it with --new-passphrase-file FILE or env "
                            + NEW_PASSPHRASE_VARIABLE));
    Optional<CaPassphrase> current =
        currentFile
            .map(CaPassphrase::fromFile)
            .or(
                () ->
                    variable(CaPassphrase.ENVIRONMENT_VARIABLE).map(CaPassphrase::fromEnvironment));
    PassphraseChange.Result result;
    try (DataDirectoryLock lock = lockStoppedHub()) {
      result =
          new PassphraseChange(pkiDir, dataDir.resolve(CaKeyProtection.GENERATED_PASSPHRASE_FILE))
              .change(current, next);
    }
    PrintWriter out = spec.commandLine().getOut();
    if (result.finishedInterrupted()) {
      out.println("finished an interrupted passphrase change first");
    }
    out.println(
        "re-encrypted "
            + result.keyFiles().size()
            + " private keys under the passphrase from "
            + next.origin()
            + ": "
            + String.join(" ", result.keyFiles()));
    if (result.generatedPassphraseRemoved()) {
      out.println(
          "removed "
              + dataDir.resolve(CaKeyProtection.GENERATED_PASSPHRASE_FILE)
              + ", which held the old passphrase");
    }
    out.println(
        "start the hub with --ca-passphrase-file FILE or env "
            + CaPassphrase.ENVIRONMENT_VARIABLE
            + " holding the new passphrase");
    out.flush();
    return 0;
  }

  private DataDirectoryLock lockStoppedHub() {
    try {
      return DataDirectoryLock.acquire(dataDir);
    } catch (IllegalStateException running) {
      throw new CliFailure(
          "a hub is running with data directory "
              + dataDir
              + " (it holds "
              + dataDir.resolve("hub.lock")
              + "); stop it first: keys are never re-encrypted under a running hub");
    }
  }

  private Optional<String> variable(String name) {
    return Optional.ofNullable(environment.apply(name)).filter(v -> !v.isEmpty());
  }
}
