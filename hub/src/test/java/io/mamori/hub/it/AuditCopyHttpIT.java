package io.mamori.hub.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.mamori.hub.audit.AuditSettings;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The audit log is POSTed to an HTTPS receiver as it grows: failures are retried, and after a
 * restart sending resumes after the last acknowledged record.
 */
class AuditCopyHttpIT {
  private final ObjectMapper json = new ObjectMapper();
  @TempDir Path dir;
  private HubFixture hub;
  private HttpsServer receiver;
  private final List<Long> received = new CopyOnWriteArrayList<>();
  private final List<String> tokens = new CopyOnWriteArrayList<>();
  private final AtomicInteger refuseNext = new AtomicInteger(2);

  @AfterEach
  void stop() {
    if (hub != null) {
      hub.close();
    }
    if (receiver != null) {
      receiver.stop(0);
    }
  }

  @Test
  void recordsArriveInOrderDespiteFailuresAndResumeAfterRestart() throws Exception {
    Path ca = startReceiver();
    var settings =
        AuditSettings.defaults()
            .withCopyUrl(
                URI.create("https://127.0.0.1:" + receiver.getAddress().getPort() + "/audit"),
                Optional.of(ca),
                Optional.of("copy-secret"));
    hub = new HubFixture(dir.resolve("data")).withAudit(settings).start();
    assertThat(hub.createPolicy("device-policy", Policies.DEVICE).exitCode()).isZero();

    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(() -> assertThat(received).hasSizeGreaterThanOrEqualTo(1));
    assertThat(refuseNext.get()).isLessThanOrEqualTo(0);
    assertThat(tokens).containsOnly("Bearer copy-secret");

    hub.restart();
    assertThat(hub.cli("thing", "create", "after-restart").exitCode()).isZero();
    var verify = hub.cli("audit", "verify");
    long last = Long.parseLong(verify.out().replaceAll("(?s).*last seq (\\d+).*", "$1").strip());

    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(received).contains(last));
    // Every record exactly once, in order: nothing resent after the restart, nothing skipped.
    assertThat(received).isSorted().doesNotHaveDuplicates();
    assertThat(received.get(0)).isEqualTo(1);
    assertThat(received.get(received.size() - 1) - received.get(0) + 1).isEqualTo(received.size());
  }

  /** A receiver with its own self-signed certificate for 127.0.0.1; returns that PEM. */
  private Path startReceiver() throws Exception {
    KeyPair keys = TestCertificates.p256();
    var builder =
        new JcaX509v3CertificateBuilder(
            new X500Name("CN=receiver"),
            BigInteger.ONE,
            Date.from(Instant.now().minusSeconds(60)),
            Date.from(Instant.now().plusSeconds(3600)),
            new X500Name("CN=receiver"),
            keys.getPublic());
    builder.addExtension(
        Extension.subjectAlternativeName,
        false,
        new GeneralNames(new GeneralName(GeneralName.iPAddress, "127.0.0.1")));
    X509Certificate certificate =
        new JcaX509CertificateConverter()
            .getCertificate(
                builder.build(
                    new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setKeyEntry("r", keys.getPrivate(), new char[0], new Certificate[] {certificate});
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(store, new char[0]);
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(kmf.getKeyManagers(), null, null);

    receiver = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    receiver.setHttpsConfigurator(new HttpsConfigurator(tls));
    receiver.createContext(
        "/audit",
        exchange -> {
          String body =
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          if (refuseNext.getAndDecrement() > 0) {
            exchange.sendResponseHeaders(503, -1);
            exchange.close();
            return;
          }
          tokens.add(exchange.getRequestHeaders().getFirst("Authorization"));
          for (String line : body.split("\n")) {
            received.add(json.readTree(line).path("seq").asLong());
          }
          exchange.sendResponseHeaders(204, -1);
          exchange.close();
        });
    receiver.start();
    Path pem = dir.resolve("receiver.pem");
    Files.writeString(pem, io.mamori.hub.pki.Pem.encodeCertificate(certificate));
    return pem;
  }
}
