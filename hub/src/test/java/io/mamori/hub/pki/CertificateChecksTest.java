package io.mamori.hub.pki;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Each refusal names the certificate and what is wrong with it. */
class CertificateChecksTest {
  private final Instant now = Instant.now();

  @Test
  void aCaMustBeACaAndValidNow() throws Exception {
    var ca = ManufacturerCa.create("Factory");
    assertThatCode(() -> CertificateChecks.requireCa(ca.certificate, now))
        .doesNotThrowAnyException();

    var leaf = ManufacturerCa.create("Leaf", false, Duration.ofDays(1));
    assertThatThrownBy(() -> CertificateChecks.requireCa(leaf.certificate, now))
        .isInstanceOf(CertificateCheckException.class)
        .hasMessage(
            "certificate 'O=Test Manufacturer,CN=Leaf' is not a CA certificate"
                + " (basicConstraints cA is not true)");
    assertThatThrownBy(
            () -> CertificateChecks.requireCa(ca.certificate, now.plus(Duration.ofDays(400))))
        .hasMessageContaining("CA certificate 'O=Test Manufacturer,CN=Factory' expired at");
  }

  @Test
  void theVerificationCertificateMustCarryTheCodeAndTheCasSignature() throws Exception {
    var ca = ManufacturerCa.create("Factory");
    var verification = ca.verificationCertificate("abc123");
    assertThatCode(
            () ->
                CertificateChecks.requireVerification(ca.certificate, verification, "abc123", now))
        .doesNotThrowAnyException();
    assertThatThrownBy(
            () -> CertificateChecks.requireVerification(ca.certificate, verification, "other", now))
        .hasMessageContaining("subject CN is abc123, not this hub's registration code");

    var impostor = ManufacturerCa.create("Factory");
    assertThatThrownBy(
            () ->
                CertificateChecks.requireVerification(
                    ca.certificate, impostor.verificationCertificate("abc123"), "abc123", now))
        .hasMessageContaining("is not signed by the private key of CA");
  }

  @Test
  void aDeviceCertificateMustBeIssuedByTheCaAndBeAClientCertificate() throws Exception {
    var ca = ManufacturerCa.create("Factory");
    var other = ManufacturerCa.create("Other");
    var device = ca.device(ManufacturerCa.p256(), "d1", Duration.ofDays(1));
    assertThatCode(() -> CertificateChecks.requireDeviceIssuedBy(device, ca.certificate, now))
        .doesNotThrowAnyException();
    assertThatThrownBy(
            () -> CertificateChecks.requireDeviceIssuedBy(device, other.certificate, now))
        .hasMessageContaining("was not issued by CA 'O=Test Manufacturer,CN=Other'");
    assertThatThrownBy(
            () -> CertificateChecks.requireDeviceIssuedBy(ca.certificate, ca.certificate, now))
        .hasMessageContaining("is a CA certificate, not a device certificate");
    // A verification certificate has no clientAuth EKU but no EKU at all: allowed; expiry is not.
    assertThatThrownBy(
            () ->
                CertificateChecks.requireDeviceIssuedBy(
                    device, ca.certificate, now.plus(Duration.ofDays(2))))
        .hasMessageContaining("device certificate 'CN=d1' expired at");
  }
}
