package io.mamori.hub.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertificateAuthorityFilesTest {
  private static final Instant START = Instant.now();
  private static final Clock CLOCK = Clock.fixed(START, ZoneOffset.UTC);

  @TempDir Path data;

  private Path pki() {
    return data.resolve("pki");
  }

  private CertificateAuthority load(Clock clock, String... hostnames) {
    return new CertificateAuthorityFiles(pki(), clock).loadOrCreate(List.of(hostnames));
  }

  @Test
  void firstStartCreatesEveryFileAndRestartLoadsTheSameCa() {
    CertificateAuthority first = load(CLOCK);

    assertThat(pki())
        .isDirectoryContaining(p -> p.getFileName().toString().equals("root-ca.key"))
        .isDirectoryContaining(p -> p.getFileName().toString().equals("root-ca.crt"))
        .isDirectoryContaining(p -> p.getFileName().toString().equals("issuing-ca.key"))
        .isDirectoryContaining(p -> p.getFileName().toString().equals("issuing-ca.crt"))
        .isDirectoryContaining(p -> p.getFileName().toString().equals("ca-chain.pem"))
        .isDirectoryContaining(p -> p.getFileName().toString().equals("server.key"))
        .isDirectoryContaining(p -> p.getFileName().toString().equals("server.crt"));

    CertificateAuthority second = load(CLOCK);

    assertThat(CertificateIds.of(second.rootCertificate()))
        .isEqualTo(CertificateIds.of(first.rootCertificate()));
    assertThat(second.issuingCertificateId()).isEqualTo(first.issuingCertificateId());
    assertThat(CertificateIds.of(second.serverIdentity().chain().get(0)))
        .isEqualTo(CertificateIds.of(first.serverIdentity().chain().get(0)));
  }

  @Test
  void caCertificatesHaveTheirRoleExtensions() throws Exception {
    CertificateAuthority ca = load(CLOCK);
    X509Certificate root = ca.rootCertificate();
    X509Certificate issuing = ca.issuingCertificate();

    assertThat(root.getBasicConstraints()).isEqualTo(Integer.MAX_VALUE);
    assertThat(root.getCriticalExtensionOIDs()).contains("2.5.29.19", "2.5.29.15");
    assertThat(root.getKeyUsage()[5]).as("keyCertSign").isTrue();
    assertThat(root.getKeyUsage()[6]).as("cRLSign").isTrue();
    assertThat(root.getPublicKey().getAlgorithm()).isEqualTo("EC");
    assertThat(root.getNotAfter().toInstant()).isAfter(START.plus(Duration.ofDays(365 * 19)));
    root.verify(root.getPublicKey());

    assertThat(issuing.getBasicConstraints()).isZero();
    assertThat(issuing.getNotAfter().toInstant()).isAfter(START.plus(Duration.ofDays(365 * 9)));
    assertThat(issuing.getExtensionValue("2.5.29.14")).as("SKI").isNotNull();
    assertThat(issuing.getExtensionValue("2.5.29.35")).as("AKI").isNotNull();
    issuing.verify(root.getPublicKey());
  }

  @Test
  void chainFileHoldsIssuingThenRoot() throws Exception {
    CertificateAuthority ca = load(CLOCK);

    List<X509Certificate> chain =
        Pem.parseCertificates(Files.readString(pki().resolve("ca-chain.pem")));

    assertThat(chain).containsExactly(ca.issuingCertificate(), ca.rootCertificate());
    assertThat(ca.chain()).containsExactly(ca.issuingCertificate(), ca.rootCertificate());
    assertThat(Pem.parseCertificates(ca.chainPem())).isEqualTo(chain);
  }

  @Test
  void keyFilesAreOwnerOnlyAndDirectoryIs700() throws Exception {
    assumeThat(data.getFileSystem().supportedFileAttributeViews()).contains("posix");
    load(CLOCK);

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(pki())))
        .isEqualTo("rwx------");
    for (String key : List.of("root-ca.key", "issuing-ca.key", "server.key")) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(pki().resolve(key))))
          .as(key)
          .isEqualTo("rw-------");
    }
    try (var files = Files.list(pki())) {
      assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
    }
  }

  @Test
  void serverCertificateNamesLocalhostLoopbacksAndExtraHostnames() throws Exception {
    CertificateAuthority ca = load(CLOCK, "hub.example.com", "10.1.2.3");
    X509Certificate server = ca.serverIdentity().chain().get(0);

    assertThat(sans(server))
        .contains(
            "2:localhost", "7:127.0.0.1", "7:0:0:0:0:0:0:0:1", "2:hub.example.com", "7:10.1.2.3");
    assertThat(server.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
    assertThat(ca.serverIdentity().chain()).containsExactly(server, ca.issuingCertificate());
    server.verify(ca.issuingCertificate().getPublicKey());
    assertThat(server.getNotAfter().toInstant())
        .isBetween(START.plus(Duration.ofDays(360)), START.plus(Duration.ofDays(370)));
  }

  @Test
  void serverCertificateIsReissuedWhenANewHostnameIsRequested() throws Exception {
    CertificateAuthority first = load(CLOCK);
    X509Certificate before = first.serverIdentity().chain().get(0);

    CertificateAuthority second = load(CLOCK, "new.example.org");
    X509Certificate after = second.serverIdentity().chain().get(0);

    assertThat(after).isNotEqualTo(before);
    assertThat(sans(after)).contains("2:new.example.org", "2:localhost");
    assertThat(second.issuingCertificateId()).isEqualTo(first.issuingCertificateId());
    assertThat(load(CLOCK, "NEW.example.org").serverIdentity().chain().get(0))
        .as("host names compare case-insensitively")
        .isEqualTo(after);
  }

  @Test
  void serverCertificateIsReissuedWhenItExpiresWithin30Days() {
    X509Certificate before = load(CLOCK).serverIdentity().chain().get(0);
    Clock later = Clock.fixed(START.plus(Duration.ofDays(340)), ZoneOffset.UTC);

    X509Certificate after = load(later).serverIdentity().chain().get(0);

    assertThat(after).isNotEqualTo(before);
    assertThat(after.getNotAfter().toInstant()).isAfter(START.plus(Duration.ofDays(700)));
  }

  @Test
  void missingIssuingCaIsCreatedUnderTheExistingRoot() throws Exception {
    CertificateAuthority first = load(CLOCK);
    Files.delete(pki().resolve("issuing-ca.key"));
    Files.delete(pki().resolve("issuing-ca.crt"));

    CertificateAuthority second = load(CLOCK);

    assertThat(second.rootCertificate()).isEqualTo(first.rootCertificate());
    assertThat(second.issuingCertificateId()).isNotEqualTo(first.issuingCertificateId());
    second.issuingCertificate().verify(first.rootCertificate().getPublicKey());
    second.serverIdentity().chain().get(0).verify(second.issuingCertificate().getPublicKey());
  }

  @Test
  void keyLeftWithoutItsCertificateByACrashIsReplaced() throws Exception {
    load(CLOCK);
    Files.delete(pki().resolve("issuing-ca.crt"));

    CertificateAuthority reloaded = load(CLOCK);

    reloaded.issuingCertificate().verify(reloaded.rootCertificate().getPublicKey());
  }

  @Test
  void keyThatDoesNotMatchItsCertificateIsRefused() throws Exception {
    load(CLOCK);
    Files.writeString(
        pki().resolve("issuing-ca.key"),
        Pem.encodePrivateKey(TestPki.SIGNER.generateEcP256().getPrivate()));

    assertThatThrownBy(() -> load(CLOCK))
        .isInstanceOf(CertificateAuthorityException.class)
        .hasMessageContaining("issuing-ca.key does not match");
  }

  @Test
  void issuingCaFromAnotherRootIsRefused() throws Exception {
    load(CLOCK);
    Path other = data.resolve("other");
    new CertificateAuthorityFiles(other, CLOCK).loadOrCreate(List.of());
    for (String file : List.of("issuing-ca.key", "issuing-ca.crt")) {
      Files.copy(
          other.resolve(file),
          pki().resolve(file),
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    assertThatThrownBy(() -> load(CLOCK))
        .isInstanceOf(CertificateAuthorityException.class)
        .hasMessageContaining("issuing-ca.crt")
        .hasMessageContaining("root");
  }

  @Test
  void certificateWhoseKeyIsLostIsRefused() throws Exception {
    load(CLOCK);
    Files.delete(pki().resolve("root-ca.key"));

    assertThatThrownBy(() -> load(CLOCK))
        .isInstanceOf(CertificateAuthorityException.class)
        .hasMessageContaining("root-ca.key is missing");
  }

  @Test
  void invalidHostnameIsRefused() {
    assertThatThrownBy(() -> load(CLOCK, "bad host"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bad host");
  }

  private static List<String> sans(X509Certificate certificate) throws Exception {
    List<String> names = new ArrayList<>();
    for (List<?> san : certificate.getSubjectAlternativeNames()) {
      names.add(san.get(0) + ":" + san.get(1));
    }
    return names;
  }
}
