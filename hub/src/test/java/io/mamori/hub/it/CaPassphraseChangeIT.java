package io.mamori.hub.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mamori ca change-passphrase} as an operator runs it: refused while the hub runs and with a
 * wrong current passphrase (nothing changed), then the hub starts with the new passphrase only.
 */
class CaPassphraseChangeIT {
  @TempDir Path temp;

  @Test
  void passphraseChangesOfflineAndTheHubThenOpensItsKeysWithTheNewOneOnly() throws Exception {
    Path data = temp.resolve("data");
    Path old = secret("old", "the operator's first secret");
    Path next = secret("next", "the operator's second secret");
    Path guess = secret("guess", "a guess");

    try (HubProcess hub =
        HubProcess.start(data, Map.of(), "--ca-passphrase-file", old.toString())) {
      hub.awaitRunning();
      Map<String, String> before = pkiFiles(data);
      var whileRunning =
          hub.cli(
              "ca",
              "change-passphrase",
              "--passphrase-file",
              old.toString(),
              "--new-passphrase-file",
              next.toString());
      assertThat(whileRunning.exitCode()).isEqualTo(1);
      assertThat(whileRunning.err()).startsWith("mamori: a hub is running with data directory");
      assertThat(pkiFiles(data)).isEqualTo(before);
    }

    Map<String, String> before = pkiFiles(data);
    var wrong = change(data, guess, next);
    assertThat(wrong.exitCode()).isEqualTo(1);
    assertThat(wrong.err())
        .startsWith("mamori: cannot decrypt ")
        .contains("wrong passphrase", "nothing was changed")
        .doesNotContain("a guess");
    assertThat(pkiFiles(data)).isEqualTo(before);

    var noNew = cli(data, "ca", "change-passphrase", "--passphrase-file", old.toString());
    assertThat(noNew.exitCode()).isEqualTo(1);
    assertThat(noNew.err()).contains("no new passphrase", "MAMORI_CA_NEW_PASSPHRASE");

    var changed = change(data, old, next);
    assertThat(changed.exitCode()).as(changed.err()).isZero();
    assertThat(changed.out())
        .contains(
            "re-encrypted 5 private keys",
            "root-ca.key",
            "issuing-ca.key",
            "ocsp-signer.key",
            "server.key",
            "code-signing.key")
        .doesNotContain("second secret");
    assertThat(pkiFiles(data).keySet()).noneMatch(name -> name.contains(".next"));

    HubProcess withOld = HubProcess.start(data, Map.of(), "--ca-passphrase-file", old.toString());
    assertThat(withOld.awaitExit()).isNotZero();
    assertThat(CaKeysIT.lastLine(withOld.output()))
        .startsWith("mamori: cannot decrypt ")
        .contains("wrong passphrase");

    try (HubProcess withNew =
        HubProcess.start(data, Map.of("MAMORI_CA_PASSPHRASE", "the operator's second secret"))) {
      withNew.awaitRunning();
      assertThat(withNew.output()).doesNotContain("second secret");
    }
  }

  private Path secret(String name, String value) throws Exception {
    Path file = temp.resolve(name);
    Files.writeString(file, value + "\n");
    return file;
  }

  private static HubProcess.CliResult change(Path data, Path current, Path next) {
    return cli(
        data,
        "ca",
        "change-passphrase",
        "--passphrase-file",
        current.toString(),
        "--new-passphrase-file",
        next.toString());
  }

  private static HubProcess.CliResult cli(Path data, String... args) {
    java.util.List<String> all = new java.util.ArrayList<>(java.util.List.of(args));
    all.add("--data");
    all.add(data.toString());
    java.io.StringWriter out = new java.io.StringWriter();
    java.io.StringWriter err = new java.io.StringWriter();
    picocli.CommandLine command = io.mamori.hub.cli.Main.newCommandLine();
    command.setOut(new java.io.PrintWriter(out, true));
    command.setErr(new java.io.PrintWriter(err, true));
    int exit = command.execute(all.toArray(String[]::new));
    return new HubProcess.CliResult(exit, out.toString(), err.toString());
  }

  private static Map<String, String> pkiFiles(Path data) throws Exception {
    Map<String, String> contents = new HashMap<>();
    try (Stream<Path> all = Files.list(data.resolve("pki"))) {
      for (Path file : all.toList()) {
        contents.put(file.getFileName().toString(), Files.readString(file));
      }
    }
    return contents;
  }
}
