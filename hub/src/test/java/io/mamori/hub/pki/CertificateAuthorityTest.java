package io.mamori.hub.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertificateAuthorityTest {
  private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

  @TempDir Path data;
  private CertificateAuthority ca;

  @BeforeEach
  void createCa() {
    ca =
        new CertificateAuthorityFiles(data.resolve("pki"), Clock.systemUTC())
            .loadOrCreate(List.of());
  }

  private static DeviceCertificateRequest request(String name, Optional<String> csr) {
    return new DeviceCertificateRequest(name, csr, Duration.ofDays(365));
  }

  @Test
  void issuedDeviceCertificateChainsToRootAndIsForClientAuth() throws Exception {
    IssuedCertificate issued = ca.issueDeviceCertificate(request("thermostat-1", Optional.empty()));
    X509Certificate device = issued.certificate();

    var path =
        CertificateFactory.getInstance("X.509")
            .generateCertPath(List.of(device, ca.issuingCertificate()));
    PKIXParameters parameters =
        new PKIXParameters(Set.of(new TrustAnchor(ca.rootCertificate(), null)));
    parameters.setRevocationEnabled(false);
    CertPathValidator.getInstance("PKIX").validate(path, parameters);

    assertThat(device.getExtendedKeyUsage()).containsExactly(CLIENT_AUTH);
    assertThat(device.getSerialNumber().bitLength()).isGreaterThanOrEqualTo(64);
    assertThat(device.getSerialNumber().signum()).isPositive();
    assertThat(device.getSubjectX500Principal().getName()).isEqualTo("CN=thermostat-1");
    assertThat(device.getBasicConstraints()).isEqualTo(-1);
    assertThat(device.getKeyUsage()[0]).as("digitalSignature").isTrue();
    assertThat(device.getKeyUsage()[2]).as("keyEncipherment for an EC key").isFalse();
    assertThat(device.getExtensionValue("2.5.29.14")).as("SKI").isNotNull();
    assertThat(device.getExtensionValue("2.5.29.35")).as("AKI").isNotNull();
    assertThat(issued.certificateId()).isEqualTo(CertificateIds.of(device));
    assertThat(Pem.parseCertificate(issued.certificatePem())).isEqualTo(device);
  }

  @Test
  void generatedPrivateKeyMatchesTheCertificate() throws Exception {
    IssuedCertificate issued = ca.issueDeviceCertificate(request("lamp", Optional.empty()));

    assertThat(issued.privateKeyPem()).isPresent();
    assertThat(issued.privateKeyPem().get()).startsWith("-----BEGIN PRIVATE KEY-----");
    PrivateKey key = Pem.parsePrivateKey(issued.privateKeyPem().get());
    Signature signing = Signature.getInstance("SHA256withECDSA");
    signing.initSign(key);
    signing.update(new byte[] {1, 2, 3});
    byte[] signature = signing.sign();
    Signature verifying = Signature.getInstance("SHA256withECDSA");
    verifying.initVerify(issued.certificate().getPublicKey());
    verifying.update(new byte[] {1, 2, 3});
    assertThat(verifying.verify(signature)).isTrue();
  }

  @Test
  void validityStartsFiveMinutesBackAndLastsTheRequestedTime() {
    Instant before = Instant.now();
    X509Certificate device =
        ca.issueDeviceCertificate(
                new DeviceCertificateRequest("meter", Optional.empty(), Duration.ofDays(30)))
            .certificate();
    Instant after = Instant.now();

    assertThat(device.getNotBefore().toInstant())
        .isBetween(
            before.minus(Duration.ofMinutes(5)).minusSeconds(1),
            after.minus(Duration.ofMinutes(5)));
    assertThat(device.getNotAfter().toInstant())
        .isBetween(
            before.plus(Duration.ofDays(30)).minusSeconds(1), after.plus(Duration.ofDays(30)));
  }

  @Test
  void thousandIssuedSerialsAreUnique() throws Exception {
    String csr = TestPki.pem(TestPki.csr(TestPki.SIGNER.generateEcP256(), "CN=x"));
    Set<BigInteger> serials = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      serials.add(
          ca.issueDeviceCertificate(request("d" + i, Optional.of(csr)))
              .certificate()
              .getSerialNumber());
    }
    assertThat(serials).hasSize(1000);
  }

  @Test
  void csrPathKeepsTheCsrKeyAndReturnsNoPrivateKey() throws Exception {
    KeyPair keys = TestPki.SIGNER.generateEcP256();
    String csr = TestPki.pem(TestPki.csr(keys, "CN=attacker-chosen,O=Evil"));

    IssuedCertificate issued = ca.issueDeviceCertificate(request("sensor-7", Optional.of(csr)));

    assertThat(issued.certificate().getPublicKey()).isEqualTo(keys.getPublic());
    assertThat(issued.privateKeyPem()).isEmpty();
    assertThat(issued.certificate().getSubjectX500Principal().getName())
        .as("the CN is the thing name, never the CSR's subject")
        .isEqualTo("CN=sensor-7");
  }

  @Test
  void rsaCsrGetsKeyEnciphermentToo() throws Exception {
    String csr = TestPki.pem(TestPki.csr(TestPki.rsaKeyPair(2048), "CN=rsa"));

    X509Certificate device =
        ca.issueDeviceCertificate(request("rsa-device", Optional.of(csr))).certificate();

    assertThat(device.getKeyUsage()[0]).isTrue();
    assertThat(device.getKeyUsage()[2]).isTrue();
  }

  @Test
  void weakCsrIsRefusedWithItsReason() throws Exception {
    String csr = TestPki.pem(TestPki.csr(TestPki.rsaKeyPair(1024), "CN=weak"));

    assertThatThrownBy(() -> ca.issueDeviceCertificate(request("weak", Optional.of(csr))))
        .isInstanceOf(CsrRejectedException.class)
        .hasMessage("CSR key is RSA 1024 bits; at least 2048 required");
  }

  @Test
  void blankCommonNameIsRefused() {
    assertThatThrownBy(() -> ca.issueDeviceCertificate(request(" ", Optional.empty())))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void opensslVerifiesAnIssuedCertificateAgainstTheChainFile() throws Exception {
    assumeThat(opensslAvailable()).as("openssl on PATH").isTrue();
    Path device = data.resolve("device.crt");
    Files.writeString(
        device,
        ca.issueDeviceCertificate(request("openssl-device", Optional.empty())).certificatePem());

    Process process =
        new ProcessBuilder(
                "openssl",
                "verify",
                "-purpose",
                "sslclient",
                "-CAfile",
                data.resolve("pki/ca-chain.pem").toString(),
                device.toString())
            .redirectErrorStream(true)
            .start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();

    assertThat(output).contains(device + ": OK");
    assertThat(process.exitValue()).isZero();
  }

  private static boolean opensslAvailable() {
    try {
      Process process = new ProcessBuilder("openssl", "version").redirectErrorStream(true).start();
      process.getInputStream().readAllBytes();
      return process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
