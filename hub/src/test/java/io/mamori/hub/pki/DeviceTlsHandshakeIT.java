package io.mamori.hub.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real TLS 1.3 handshake: hub server identity plus DeviceTrustManager against device certs. */
class DeviceTlsHandshakeIT {
  private static final char[] PASSWORD = "test".toCharArray();

  @TempDir Path data;
  private CertificateAuthority ca;
  private SSLServerSocket server;
  private CompletableFuture<String> serverSide;

  @BeforeEach
  void startServer() throws Exception {
    ca =
        new CertificateAuthorityFiles(data.resolve("pki"), Clock.systemUTC())
            .loadOrCreate(List.of());
    TlsIdentity identity = ca.serverIdentity();
    SSLContext context = SSLContext.getInstance("TLSv1.3");
    context.init(
        keyManagers(identity.privateKey(), identity.chain()).getKeyManagers(),
        new javax.net.ssl.TrustManager[] {
          new DeviceTrustManager(() -> List.of(ca.issuingCertificate()), Clock.systemUTC())
        },
        null);
    server =
        (SSLServerSocket)
            context
                .getServerSocketFactory()
                .createServerSocket(0, 1, InetAddress.getLoopbackAddress());
    server.setNeedClientAuth(true);
    serverSide =
        CompletableFuture.supplyAsync(
            () -> {
              try (SSLSocket socket = (SSLSocket) server.accept()) {
                socket.startHandshake();
                X509Certificate peer =
                    (X509Certificate) socket.getSession().getPeerCertificates()[0];
                return peer.getSubjectX500Principal().getName();
              } catch (IOException e) {
                return "refused: " + e.getMessage();
              }
            });
  }

  @AfterEach
  void stopServer() throws IOException {
    server.close();
  }

  @Test
  void hubIssuedDeviceCompletesTheHandshake() throws Exception {
    IssuedCertificate device =
        ca.issueDeviceCertificate(
            new DeviceCertificateRequest("tls-device", Optional.empty(), Duration.ofDays(1)));

    try (SSLSocket client = connect(device)) {
      client.startHandshake();
      assertThat(client.getSession().getPeerCertificates()[0])
          .isEqualTo(ca.serverIdentity().chain().get(0));
      client.getOutputStream().write(1);
      client.getOutputStream().flush();
    }

    assertThat(serverSide.get(30, TimeUnit.SECONDS)).isEqualTo("CN=tls-device");
  }

  @Test
  void deviceWithoutClientAuthPurposeIsRefusedAtTheHandshake() throws Exception {
    TlsIdentity serverAsClient = ca.serverIdentity();
    IssuedCertificate wrongPurpose =
        new IssuedCertificate(
            serverAsClient.chain().get(0),
            Pem.encodeCertificate(serverAsClient.chain().get(0)),
            CertificateIds.of(serverAsClient.chain().get(0)),
            Optional.of(Pem.encodePrivateKey(serverAsClient.privateKey())));

    assertThatThrownBy(
            () -> {
              try (SSLSocket client = connect(wrongPurpose)) {
                client.startHandshake();
                // TLS 1.3: the client learns of the refusal on its first read.
                client.getInputStream().read();
              }
            })
        .isInstanceOf(IOException.class);
    assertThat(serverSide.get(30, TimeUnit.SECONDS))
        .startsWith("refused:")
        .contains("not for client authentication");
  }

  private SSLSocket connect(IssuedCertificate device) throws Exception {
    PrivateKey key = Pem.parsePrivateKey(device.privateKeyPem().orElseThrow());
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("root", ca.rootCertificate());
    TrustManagerFactory trustManagers =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trustManagers.init(trust);
    SSLContext context = SSLContext.getInstance("TLSv1.3");
    context.init(
        keyManagers(key, List.of(device.certificate(), ca.issuingCertificate())).getKeyManagers(),
        trustManagers.getTrustManagers(),
        null);
    return (SSLSocket)
        context
            .getSocketFactory()
            .createSocket(InetAddress.getLoopbackAddress(), server.getLocalPort());
  }

  private static KeyManagerFactory keyManagers(PrivateKey key, List<X509Certificate> chain)
      throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setKeyEntry("identity", key, PASSWORD, chain.toArray(new Certificate[0]));
    KeyManagerFactory factory =
        KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    factory.init(store, PASSWORD);
    return factory;
  }
}
