package io.mamori.hub.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.mamori.hub.pki.CaKeyProtection;
import io.mamori.hub.pki.CaPassphrase;
import io.mamori.hub.pki.CertificateAuthorityFiles;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mamori ca change-passphrase} on a stopped hub's data directory, passphrases from env. */
class CaChangePassphraseCommandTest {
  @TempDir Path data;

  private record Result(int exit, String out, String err) {}

  private Result run(Map<String, String> environment, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    var command = Main.newCommandLine();
    command.setOut(new PrintWriter(out, true));
    command.setErr(new PrintWriter(err, true));
    CaChangePassphraseCommand change =
        command.getSubcommands().get("ca").getSubcommands().get("change-passphrase").getCommand();
    change.environment = environment::get;
    int exit = command.execute(args);
    return new Result(exit, out.toString(), err.toString());
  }

  @Test
  void passphrasesComeFromTheEnvironmentAndNeverFromTheCommandLine() {
    new CertificateAuthorityFiles(data.resolve("pki"), Clock.systemUTC()).loadOrCreate(List.of());

    Result onArgv =
        run(
            Map.of(),
            "ca",
            "change-passphrase",
            "--data",
            data.toString(),
            "--new-passphrase",
            "x");
    assertThat(onArgv.exit()).isEqualTo(2);
    assertThat(onArgv.err()).contains("Unknown option");

    Result changed =
        run(
            Map.of(CaChangePassphraseCommand.NEW_PASSPHRASE_VARIABLE, "the new secret"),
            "ca",
            "change-passphrase",
            "--data",
            data.toString());
    assertThat(changed.exit()).as(changed.err()).isZero();
    assertThat(changed.out())
        .contains(
            "re-encrypted 4 private keys under the passphrase from env MAMORI_CA_NEW_PASSPHRASE")
        .contains("removed " + data.resolve("ca-passphrase"))
        .doesNotContain("the new secret");

    // The generated passphrase is gone: the next change needs the current one from the operator.
    Result again =
        run(
            Map.of(
                CaPassphrase.ENVIRONMENT_VARIABLE,
                "the new secret",
                CaChangePassphraseCommand.NEW_PASSPHRASE_VARIABLE,
                "a third secret"),
            "ca",
            "change-passphrase",
            "--data",
            data.toString());
    assertThat(again.exit()).as(again.err()).isZero();
    new CertificateAuthorityFiles(
            data.resolve("pki"),
            Clock.systemUTC(),
            new CaKeyProtection(
                Optional.of(CaPassphrase.fromEnvironment("a third secret")),
                data.resolve(CaKeyProtection.GENERATED_PASSPHRASE_FILE),
                Optional.empty()))
        .loadOrCreate(List.of());
  }

  @Test
  void aDataDirectoryWithoutCaIsNamed() {
    Result result =
        run(
            Map.of(CaChangePassphraseCommand.NEW_PASSPHRASE_VARIABLE, "x"),
            "ca",
            "change-passphrase",
            "--data",
            data.resolve("nothing").toString());
    assertThat(result.exit()).isEqualTo(1);
    assertThat(result.err()).startsWith("mamori: no CA in ");
  }
}
