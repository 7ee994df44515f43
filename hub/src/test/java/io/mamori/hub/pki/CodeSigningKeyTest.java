package io.mamori.hub.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CodeSigningKeyTest {
  @TempDir Path dir;

  private CaKeyProtection protection(String passphrase) {
    return new CaKeyProtection(
        Optional.of(CaPassphrase.fromEnvironment(passphrase)),
        dir.resolve(CaKeyProtection.GENERATED_PASSPHRASE_FILE),
        Optional.empty());
  }

  @Test
  void theKeyIsCreatedOnceEncryptedAndDistinctFromTheCa() throws Exception {
    Path pki = dir.resolve("pki");
    var authority =
        new CertificateAuthorityFiles(pki, Clock.systemUTC(), protection("correct horse battery"))
            .loadOrCreate(List.of());
    CodeSigningKey first =
        CodeSigningKey.loadOrCreate(pki, protection("correct horse battery"), Clock.systemUTC());
    CodeSigningKey again =
        CodeSigningKey.loadOrCreate(pki, protection("correct horse battery"), Clock.systemUTC());

    assertThat(again.publicKey()).isEqualTo(first.publicKey());
    assertThat(Files.readString(pki.resolve("code-signing.key")))
        .startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----");
    for (var ca : authority.chain()) {
      assertThat(ca.getPublicKey()).isNotEqualTo(first.publicKey());
    }
    byte[] image = "image".getBytes(StandardCharsets.UTF_8);
    byte[] signature = first.sign(image);
    assertThat(CodeSigningKey.verifies(again.publicKey(), image, signature)).isTrue();
    assertThat(CodeSigningKey.verifies(again.publicKey(), "imagE".getBytes(), signature)).isFalse();
    assertThat(CodeSigningKey.verifies(again.publicKey(), image, new byte[] {1, 2})).isFalse();
    assertThat(first.certificate().getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.3");
    assertThat(first.certificate().getBasicConstraints()).isEqualTo(-1);
  }

  @Test
  void aWrongPassphraseStopsTheHub() {
    Path pki = dir.resolve("pki");
    CodeSigningKey.loadOrCreate(pki, protection("correct horse battery"), Clock.systemUTC());
    assertThatThrownBy(
            () -> CodeSigningKey.loadOrCreate(pki, protection("wrong"), Clock.systemUTC()))
        .isInstanceOf(CaKeyProtectionException.class);
  }
}
