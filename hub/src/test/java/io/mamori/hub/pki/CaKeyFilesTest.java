package io.mamori.hub.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CaKeyFilesTest {
  private static final List<String> KEYS = List.of("root-ca.key", "issuing-ca.key", "server.key");

  @TempDir Path data;

  private Path pki() {
    return data.resolve("pki");
  }

  private Path passphraseFile(String value) throws Exception {
    Path file = data.resolve("secret-" + value.hashCode());
    Files.writeString(file, value + "\n");
    return file;
  }

  private CertificateAuthority load(Optional<CaPassphrase> passphrase) {
    var protection =
        new CaKeyProtection(
            passphrase, data.resolve(CaKeyProtection.GENERATED_PASSPHRASE_FILE), Optional.empty());
    return new CertificateAuthorityFiles(pki(), Clock.systemUTC(), protection)
        .loadOrCreate(List.of());
  }

  private Map<String, String> keyFiles() throws Exception {
    Map<String, String> files = new HashMap<>();
    for (String key : KEYS) {
      files.put(key, Files.readString(pki().resolve(key)));
    }
    return files;
  }

  @Test
  void quickStartGeneratesAnOwnerOnlyPassphraseAndEncryptsEveryKeyAsOpensslPbes2()
      throws Exception {
    Openssl.requireInstalled();
    load(Optional.empty());
    Path passphrase = data.resolve("ca-passphrase");

    assertThat(passphrase).exists();
    if (data.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(passphrase)))
          .isEqualTo("rw-------");
    }
    for (String key : KEYS) {
      Path file = pki().resolve(key);
      assertThat(Files.readString(file))
          .as(key)
          .startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----")
          .doesNotContain("BEGIN PRIVATE KEY");
      // RFC 8018 PBES2 with PBKDF2-HMAC-SHA256 and AES-256-CBC, as openssl reads it.
      String structure = Openssl.run("asn1parse", "-in", file.toString()).output();
      assertThat(structure)
          .contains("PBES2", "PBKDF2", "hmacWithSHA256", "aes-256-cbc")
          .doesNotContain("hmacWithSHA1");
      var opened =
          Openssl.run("pkey", "-in", file.toString(), "-passin", "file:" + passphrase, "-noout");
      assertThat(opened.exitCode()).as(key + ": " + opened.output()).isZero();
      var wrong = Openssl.run("pkey", "-in", file.toString(), "-passin", "pass:wrong", "-noout");
      assertThat(wrong.exitCode()).as(key + " with a wrong passphrase").isNotZero();
    }
    // The second start opens the keys with the generated passphrase.
    CertificateAuthority again = load(Optional.empty());
    assertThat(again.rootCertificate()).isNotNull();
  }

  @Test
  void operatorPassphraseEncryptsWith600000Rounds() throws Exception {
    Openssl.requireInstalled();
    load(Optional.of(CaPassphrase.fromFile(passphraseFile("correct horse battery staple"))));

    assertThat(data.resolve("ca-passphrase")).doesNotExist();
    String structure =
        Openssl.run("asn1parse", "-in", pki().resolve("issuing-ca.key").toString()).output();
    // 600000 = 0x0927C0
    assertThat(structure).contains(":0927C0");
  }

  @Test
  void wrongPassphraseIsRefusedAndNothingIsRewritten() throws Exception {
    CertificateAuthority created =
        load(Optional.of(CaPassphrase.fromEnvironment("the right passphrase")));
    Map<String, String> before = keyFiles();

    assertThatThrownBy(() -> load(Optional.of(CaPassphrase.fromEnvironment("a wrong one"))))
        .isInstanceOf(CaKeyProtectionException.class)
        .hasMessageContaining("cannot decrypt")
        .hasMessageContaining("root-ca.key")
        .hasMessageContaining("env MAMORI_CA_PASSPHRASE")
        .hasMessageContaining("wrong passphrase")
        .hasMessageNotContaining("a wrong one");

    assertThat(keyFiles()).isEqualTo(before);
    assertThat(data.resolve("ca-passphrase")).doesNotExist();
    assertThat(load(Optional.of(CaPassphrase.fromEnvironment("the right passphrase"))).chainPem())
        .isEqualTo(created.chainPem());
  }

  @Test
  void missingPassphraseForEncryptedKeysIsRefusedWithoutGeneratingOne() throws Exception {
    load(Optional.of(CaPassphrase.fromEnvironment("operator secret")));
    Map<String, String> before = keyFiles();

    assertThatThrownBy(() -> load(Optional.empty()))
        .isInstanceOf(CaKeyProtectionException.class)
        .hasMessageContaining("is encrypted and no passphrase was given")
        .hasMessageContaining("MAMORI_CA_PASSPHRASE")
        .hasMessageContaining("--ca-passphrase-file");

    assertThat(data.resolve("ca-passphrase")).doesNotExist();
    assertThat(keyFiles()).isEqualTo(before);
  }

  @Test
  void clearKeysOfAnOlderDataDirectoryAreEncryptedInPlace() throws Exception {
    Openssl.requireInstalled();
    CertificateAuthority created = load(Optional.empty());
    // What an older version left: clear PKCS#8 keys, no passphrase file.
    CaPassphrase generated = CaPassphrase.generated(data.resolve("ca-passphrase"));
    for (String key : KEYS) {
      PrivateKey clear = decrypt(pki().resolve(key), generated);
      Files.writeString(pki().resolve(key), Pem.encodePrivateKey(clear));
    }
    Files.delete(data.resolve("ca-passphrase"));
    Path secret = passphraseFile("moved to a vault");

    CertificateAuthority migrated = load(Optional.of(CaPassphrase.fromFile(secret)));

    assertThat(migrated.chainPem()).isEqualTo(created.chainPem());
    assertThat(migrated.serverIdentity().chain()).isEqualTo(created.serverIdentity().chain());
    for (String key : KEYS) {
      Path file = pki().resolve(key);
      assertThat(Files.readString(file)).as(key).startsWith("-----BEGIN ENCRYPTED PRIVATE KEY");
      assertThat(
              Openssl.run("pkey", "-in", file.toString(), "-passin", "file:" + secret, "-noout")
                  .exitCode())
          .as(key)
          .isZero();
    }
    assertThat(Files.list(pki()).map(p -> p.getFileName().toString()))
        .noneMatch(name -> name.endsWith(".tmp"));
    assertThat(data.resolve("ca-passphrase")).doesNotExist();
  }

  @Test
  void emptyPassphraseIsRefused() throws Exception {
    Path empty = data.resolve("empty");
    Files.writeString(empty, "\n");

    assertThatThrownBy(() -> CaPassphrase.fromFile(empty))
        .isInstanceOf(CaKeyProtectionException.class)
        .hasMessageContaining("empty");
    assertThatThrownBy(() -> CaPassphrase.fromFile(data.resolve("absent")))
        .isInstanceOf(CaKeyProtectionException.class)
        .hasMessageContaining("does not exist");
  }

  @Test
  void passphraseNeverAppearsInItsDescription() {
    assertThat(CaPassphrase.fromEnvironment("s3cret-value").toString())
        .doesNotContain("s3cret-value")
        .contains("MAMORI_CA_PASSPHRASE");
  }

  private static PrivateKey decrypt(Path file, CaPassphrase passphrase) throws Exception {
    var parsed = (Pkcs8Encryption.KeyFile.Encrypted) Pkcs8Encryption.parse(Files.readString(file));
    return Pkcs8Encryption.decrypt(parsed.info(), passphrase.chars());
  }

  @Test
  void keyFilesStayOwnerOnly() throws Exception {
    assumeThat(data.getFileSystem().supportedFileAttributeViews()).contains("posix");
    load(Optional.empty());
    for (String key : KEYS) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(pki().resolve(key))))
          .isEqualTo("rw-------");
    }
  }
}
