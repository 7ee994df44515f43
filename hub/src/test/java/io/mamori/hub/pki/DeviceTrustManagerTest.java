package io.mamori.hub.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeviceTrustManagerTest {
  @TempDir Path data;
  private CertificateAuthority ca;
  private X509Certificate device;
  private final CopyOnWriteArrayList<X509Certificate> anchors = new CopyOnWriteArrayList<>();

  @BeforeEach
  void createCa() {
    ca =
        new CertificateAuthorityFiles(data.resolve("pki"), Clock.systemUTC())
            .loadOrCreate(List.of());
    device =
        ca.issueDeviceCertificate(
                new DeviceCertificateRequest("device-1", Optional.empty(), Duration.ofDays(30)))
            .certificate();
    anchors.add(ca.issuingCertificate());
  }

  private DeviceTrustManager trustManager(Clock clock) {
    return new DeviceTrustManager(() -> anchors, clock);
  }

  /** A client certificate from {@code issuer}, valid from a minute ago for a day. */
  private static X509Certificate clientCertificate(TestPki.ForeignCa issuer, String subject) {
    return issuer.issue(
        subject,
        KeyPurposeId.id_kp_clientAuth,
        Instant.now().minusSeconds(60),
        Instant.now().plus(Duration.ofDays(1)));
  }

  private static Clock at(Instant instant) {
    return Clock.fixed(instant, ZoneOffset.UTC);
  }

  @Test
  void hubIssuedDeviceSendingOnlyItsLeafIsAccepted() {
    assertThatCode(
            () ->
                trustManager(Clock.systemUTC())
                    .checkClientTrusted(new X509Certificate[] {device}, "EC"))
        .doesNotThrowAnyException();
  }

  @Test
  void deviceSendingItsWholeChainIsAccepted() {
    X509Certificate[] chain = {device, ca.issuingCertificate(), ca.rootCertificate()};
    assertThatCode(() -> trustManager(Clock.systemUTC()).checkClientTrusted(chain, "EC"))
        .doesNotThrowAnyException();
  }

  @Test
  void deviceIsAcceptedWhenOnlyTheRootIsTrustedAndItSendsTheIssuingCa() {
    anchors.clear();
    anchors.add(ca.rootCertificate());
    X509Certificate[] chain = {device, ca.issuingCertificate()};

    assertThatCode(() -> trustManager(Clock.systemUTC()).checkClientTrusted(chain, "EC"))
        .doesNotThrowAnyException();
  }

  @Test
  void deviceFromAnUnrelatedCaIsRefused() {
    TestPki.ForeignCa foreign = TestPki.ForeignCa.create("CN=Somebody Else CA");
    X509Certificate stranger = clientCertificate(foreign, "CN=stranger");

    assertThatThrownBy(
            () ->
                trustManager(Clock.systemUTC())
                    .checkClientTrusted(
                        new X509Certificate[] {stranger, foreign.certificate()}, "EC"))
        .isInstanceOf(CertificateException.class)
        .hasMessageContaining("not issued by a trusted CA")
        .hasMessageContaining("Somebody Else CA");
  }

  @Test
  void certificateRegisteredWithoutItsCaIsAcceptedByExactMatchOnly() {
    TestPki.ForeignCa foreign = TestPki.ForeignCa.create("CN=Unregistered CA");
    X509Certificate pinned = clientCertificate(foreign, "CN=pinned");
    X509Certificate sibling = clientCertificate(foreign, "CN=pinned");
    var trust =
        new DeviceTrustManager(() -> anchors, Clock.systemUTC(), pinned::equals, Optional.empty());

    assertThatCode(() -> trust.checkClientTrusted(new X509Certificate[] {pinned}, "EC"))
        .doesNotThrowAnyException();
    assertThatThrownBy(() -> trust.checkClientTrusted(new X509Certificate[] {sibling}, "EC"))
        .isInstanceOf(CertificateException.class)
        .hasMessageContaining("not issued by a trusted CA");
    // Validity is still checked for an exactly matched certificate.
    var later =
        new DeviceTrustManager(
            () -> anchors,
            at(Instant.now().plus(Duration.ofDays(2))),
            pinned::equals,
            Optional.empty());
    assertThatThrownBy(() -> later.checkClientTrusted(new X509Certificate[] {pinned}, "EC"))
        .isInstanceOf(CertificateException.class)
        .hasMessageContaining("expired");
  }

  @Test
  void deviceFromAForeignCaWithATrustedCasNameIsRefusedWithEitherSignatureProvider() {
    anchors.add(TestPki.ForeignCa.create("CN=Maker CA").certificate());
    TestPki.ForeignCa impostor = TestPki.ForeignCa.create("CN=Maker CA");
    X509Certificate forged = clientCertificate(impostor, "CN=device-1");

    for (Optional<String> signatures :
        List.of(Optional.<String>empty(), SignatureProvider.registeredForVerification())) {
      var trustManager =
          new DeviceTrustManager(() -> anchors, Clock.systemUTC(), leaf -> false, signatures);
      assertThatThrownBy(
              () -> trustManager.checkClientTrusted(new X509Certificate[] {forged}, "EC"))
          .as("signatures=%s", signatures)
          .isInstanceOf(CertificateException.class)
          .hasMessageContaining("does not chain");
      assertThatThrownBy(
              () ->
                  trustManager.checkClientTrusted(
                      new X509Certificate[] {forged, impostor.certificate()}, "EC"))
          .as("signatures=%s", signatures)
          .isInstanceOf(CertificateException.class);
    }
  }

  @Test
  void reKeyedCaUnderTheSameNameIsToldApartBySignature() {
    String name = "CN=Rekeyed Maker CA";
    TestPki.ForeignCa oldKey = TestPki.ForeignCa.create(name);
    TestPki.ForeignCa newKey = TestPki.ForeignCa.create(name);
    anchors.add(oldKey.certificate());
    anchors.add(newKey.certificate());
    X509Certificate leaf = clientCertificate(newKey, "CN=rekeyed");
    var trustManager =
        new DeviceTrustManager(
            () -> anchors,
            Clock.systemUTC(),
            unused -> false,
            SignatureProvider.registeredForVerification());

    assertThatCode(() -> trustManager.checkClientTrusted(new X509Certificate[] {leaf}, "EC"))
        .doesNotThrowAnyException();
  }

  @Test
  void caRegisteredLaterIsPickedUp() {
    TestPki.ForeignCa later = TestPki.ForeignCa.create("CN=Registered Later CA");
    X509Certificate leaf = clientCertificate(later, "CN=late");
    DeviceTrustManager trustManager = trustManager(Clock.systemUTC());
    assertThatThrownBy(() -> trustManager.checkClientTrusted(new X509Certificate[] {leaf}, "EC"))
        .isInstanceOf(CertificateException.class);

    anchors.add(later.certificate());

    assertThatCode(() -> trustManager.checkClientTrusted(new X509Certificate[] {leaf}, "EC"))
        .doesNotThrowAnyException();
    assertThat(trustManager.getAcceptedIssuers())
        .containsExactly(ca.issuingCertificate(), later.certificate());
  }

  @Test
  void expiredDeviceCertificateIsRefused() {
    Clock future = at(Instant.now().plus(Duration.ofDays(31)));

    assertThatThrownBy(
            () -> trustManager(future).checkClientTrusted(new X509Certificate[] {device}, "EC"))
        .isInstanceOf(CertificateException.class)
        .hasMessageContaining("client certificate expired at");
  }

  @Test
  void notYetValidDeviceCertificateIsRefused() {
    Clock past = at(Instant.now().minus(Duration.ofHours(1)));

    assertThatThrownBy(
            () -> trustManager(past).checkClientTrusted(new X509Certificate[] {device}, "EC"))
        .isInstanceOf(CertificateException.class)
        .hasMessageContaining("client certificate not valid before");
  }

  @Test
  void serverAuthOnlyCertificateIsRefused() {
    X509Certificate serverOnly = ca.serverIdentity().chain().get(0);

    assertThatThrownBy(
            () ->
                trustManager(Clock.systemUTC())
                    .checkClientTrusted(new X509Certificate[] {serverOnly}, "EC"))
        .isInstanceOf(CertificateException.class)
        .hasMessageContaining("not for client authentication");
  }

  @Test
  void emptyChainAndServerChecksAreRefused() {
    DeviceTrustManager trustManager = trustManager(Clock.systemUTC());
    assertThatThrownBy(() -> trustManager.checkClientTrusted(new X509Certificate[0], "EC"))
        .isInstanceOf(CertificateException.class)
        .hasMessageContaining("no certificate");
    assertThatThrownBy(() -> trustManager.checkServerTrusted(new X509Certificate[] {device}, "EC"))
        .isInstanceOf(CertificateException.class);
  }

  @Test
  void caCertificatePresentedAsTheClientIsRefused() {
    assertThatThrownBy(
            () ->
                trustManager(Clock.systemUTC())
                    .checkClientTrusted(new X509Certificate[] {ca.issuingCertificate()}, "EC"))
        .isInstanceOf(CertificateException.class);
  }
}
