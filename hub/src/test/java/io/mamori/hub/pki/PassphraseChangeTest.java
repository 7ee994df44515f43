package io.mamori.hub.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PassphraseChangeTest {
  private static final List<String> KEYS =
      List.of("code-signing.key", "issuing-ca.key", "ocsp-signer.key", "root-ca.key", "server.key");

  @TempDir Path data;

  private Path pki() {
    return data.resolve("pki");
  }

  private Path generated() {
    return data.resolve(CaKeyProtection.GENERATED_PASSPHRASE_FILE);
  }

  private CaPassphrase passphrase(String value) throws Exception {
    Path file = data.resolve("secret-" + value.hashCode());
    Files.writeString(file, value + "\n");
    return CaPassphrase.fromFile(file);
  }

  private CaKeyProtection protection(Optional<CaPassphrase> passphrase) {
    return new CaKeyProtection(passphrase, generated(), Optional.empty());
  }

  private CertificateAuthority load(Optional<CaPassphrase> passphrase) {
    CertificateAuthority ca =
        new CertificateAuthorityFiles(pki(), Clock.systemUTC(), protection(passphrase))
            .loadOrCreate(List.of());
    CodeSigningKey.loadOrCreate(pki(), protection(passphrase), Clock.systemUTC());
    return ca;
  }

  private PassphraseChange change() {
    return new PassphraseChange(pki(), generated());
  }

  private Map<String, String> files() throws Exception {
    Map<String, String> contents = new HashMap<>();
    try (Stream<Path> all = Files.list(pki())) {
      for (Path file : all.toList()) {
        contents.put(file.getFileName().toString(), Files.readString(file));
      }
    }
    return contents;
  }

  @Test
  void everyKeyMovesToTheNewPassphraseAndTheGeneratedOneIsDeleted() throws Exception {
    String issuing = load(Optional.empty()).issuingCertificateId();
    CaPassphrase next = passphrase("the new secret");

    var result = change().change(Optional.empty(), next);

    assertThat(result.keyFiles()).containsExactlyElementsOf(KEYS);
    assertThat(result.generatedPassphraseRemoved()).isTrue();
    assertThat(generated()).doesNotExist();
    assertThat(files().keySet())
        .noneMatch(name -> name.endsWith(".next") || name.endsWith("journal"));
    assertThat(load(Optional.of(next)).issuingCertificateId()).isEqualTo(issuing);
    assertThatThrownBy(() -> load(Optional.of(passphrase("a guess"))))
        .isInstanceOf(CaKeyProtectionException.class)
        .hasMessageContaining("wrong passphrase");
    assertThatThrownBy(() -> load(Optional.empty()))
        .isInstanceOf(CaKeyProtectionException.class)
        .hasMessageContaining("no passphrase was given");
  }

  @Test
  void aWrongCurrentPassphraseChangesNothing() throws Exception {
    CaPassphrase current = passphrase("the operator's secret");
    load(Optional.of(current));
    Map<String, String> before = files();

    assertThatThrownBy(
            () -> change().change(Optional.of(passphrase("a guess")), passphrase("next secret")))
        .isInstanceOf(CaKeyProtectionException.class)
        .hasMessageContaining("cannot decrypt")
        .hasMessageContaining("nothing was changed")
        .hasMessageNotContaining("a guess");

    assertThat(files()).isEqualTo(before);
    load(Optional.of(current));
  }

  @Test
  void aCrashBeforeTheJournalLeavesTheOldKeys() throws Exception {
    String issuing = load(Optional.empty()).issuingCertificateId();
    // What a crash leaves after some keys were re-encrypted but before the commit point.
    Files.writeString(pki().resolve("root-ca.key.next"), "half a change");
    Files.writeString(pki().resolve("server.key.next"), "half a change");

    assertThat(load(Optional.empty()).issuingCertificateId()).isEqualTo(issuing);
    assertThat(files().keySet()).noneMatch(name -> name.endsWith(".next"));
    assertThat(generated()).exists();
  }

  @Test
  void aCrashAfterTheJournalIsFinishedByTheNextStart() throws Exception {
    String issuing = load(Optional.empty()).issuingCertificateId();
    Map<String, String> old = files();
    String oldGenerated = Files.readString(generated());
    CaPassphrase next = passphrase("the new secret");
    change().change(Optional.empty(), next);
    Map<String, String> renewed = files();

    // Rebuild what a crash leaves after the commit point: the journal, one key already renamed,
    // the others still beside their .next file, the generated passphrase not yet deleted.
    StringBuilder journal = new StringBuilder(PassphraseChange.HEADER).append('\n');
    for (String key : KEYS) {
      journal.append("key ").append(key).append('\n');
      if (!key.equals("issuing-ca.key")) {
        Files.writeString(pki().resolve(key), old.get(key));
        Files.writeString(pki().resolve(key + ".next"), renewed.get(key));
      }
    }
    journal.append("delete-generated-passphrase-file\n");
    Files.writeString(pki().resolve(PassphraseChange.JOURNAL), journal.toString());
    Files.writeString(generated(), oldGenerated);

    assertThat(load(Optional.of(next)).issuingCertificateId()).isEqualTo(issuing);
    assertThat(files()).isEqualTo(renewed);
    assertThat(generated()).doesNotExist();
  }

  @Test
  void theChangeCommandFinishesAnInterruptedChangeFirst() throws Exception {
    load(Optional.empty());
    CaPassphrase next = passphrase("the new secret");
    Files.writeString(
        pki().resolve(PassphraseChange.JOURNAL), PassphraseChange.HEADER + "\nkey root-ca.key\n");
    Files.writeString(pki().resolve("root-ca.key.next"), "not a key");

    // The journal wins: its renames are finished, then the (now broken) key stops the change.
    assertThatThrownBy(() -> change().change(Optional.empty(), next))
        .isInstanceOf(CertificateAuthorityException.class)
        .hasMessageContaining("root-ca.key");
    assertThat(pki().resolve(PassphraseChange.JOURNAL)).doesNotExist();
  }
}
