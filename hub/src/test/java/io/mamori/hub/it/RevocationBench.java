package io.mamori.hub.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.mamori.hub.pki.CertificateAuthority;
import io.mamori.hub.pki.CertificateAuthorityFiles;
import io.mamori.hub.pki.DeviceCertificateRequest;
import io.mamori.hub.pki.IssuedCertificate;
import io.mamori.hub.pki.Pem;
import io.mamori.hub.pki.PublicationUrls;
import io.mamori.hub.pki.RevocationReason;
import io.mamori.hub.registry.CertificateStatus;
import io.mamori.hub.registry.DeviceCertificate;
import io.mamori.hub.registry.Revocation;
import io.mamori.hub.revocation.CrlPublisher;
import io.mamori.hub.store.SqliteCertificateRepository;
import io.mamori.hub.store.SqliteCrlNumbers;
import io.mamori.hub.store.SqliteDatabase;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Load figures for revocation publishing, not run by {@code mvn verify} (speed is not asserted):
 *
 * <pre>
 * mvn -o -q -pl hub test -Dtest=RevocationBench -Dmamori.bench=true \
 *   -Dsurefire.failIfNoSpecifiedTests=false [-Dbench.clients=8 -Dbench.seconds=10]
 * </pre>
 *
 * It prints OCSP responses per second served from the cache over HTTP/1.1 keep-alive by N
 * concurrent raw-socket clients, and the time to regenerate a CRL listing 10,000 revoked
 * certificates.
 */
@EnabledIfSystemProperty(named = "mamori.bench", matches = "true")
class RevocationBench {
  @TempDir Path dir;

  @Test
  void ocspResponsesPerSecondFromTheCache() throws Exception {
    int clients = Integer.getInteger("bench.clients", 8);
    int seconds = Integer.getInteger("bench.seconds", 10);
    try (var fixture = new HubFixture(dir.resolve("data")).start()) {
      Path certs = Files.createDirectories(dir.resolve("certs"));
      fixture.createPolicy("device", Policies.DEVICE);
      fixture.issueDevice("bench-1", "device", certs);
      X509Certificate device =
          Pem.parseCertificates(Files.readString(certs.resolve("bench-1.crt"))).get(0);
      X509Certificate issuing =
          Pem.parseCertificates(
                  Files.readString(fixture.dataDir().resolve("pki").resolve("issuing-ca.crt")))
              .get(0);
      byte[] request = ocspRequest(issuing, device);
      int port = fixture.hub().pkiPublication().port();
      byte[] first = post(new Client(port), request);
      assertThat(new OCSPResp(first).getStatus()).isZero();

      AtomicLong answered = new AtomicLong();
      long deadline = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
      List<Thread> threads = new ArrayList<>();
      for (int i = 0; i < clients; i++) {
        Thread t =
            new Thread(
                () -> {
                  try (var client = new Client(port)) {
                    while (System.nanoTime() < deadline) {
                      byte[] answer = client.post(request);
                      if (answer.length != first.length) {
                        throw new IllegalStateException("unexpected answer");
                      }
                      answered.incrementAndGet();
                    }
                  } catch (IOException e) {
                    throw new IllegalStateException(e);
                  }
                });
        t.start();
        threads.add(t);
      }
      var os =
          (com.sun.management.OperatingSystemMXBean)
              java.lang.management.ManagementFactory.getOperatingSystemMXBean();
      long cpuBefore = os.getProcessCpuTime();
      long serverCpuBefore = serverIoCpuNanos();
      long started = System.nanoTime();
      for (Thread t : threads) {
        t.join();
      }
      double elapsed = (System.nanoTime() - started) / 1e9;
      double cpuSeconds = (os.getProcessCpuTime() - cpuBefore) / 1e9;
      double serverCpuSeconds = (serverIoCpuNanos() - serverCpuBefore) / 1e9;
      System.out.printf(
          "OCSP from cache: %d responses in %.1f s with %d keep-alive clients = %.0f responses/s"
              + " (load average %.1f on %d cores; this JVM, server and clients, used %.1f"
              + " CPU-seconds = %.0f responses per CPU-second)%n",
          answered.get(),
          elapsed,
          clients,
          answered.get() / elapsed,
          os.getSystemLoadAverage(),
          os.getAvailableProcessors(),
          cpuSeconds,
          answered.get() / cpuSeconds);
      System.out.printf(
          "OCSP server event loops alone: %.1f CPU-seconds = %.0f responses per CPU-second (%.1f"
              + " microseconds each)%n",
          serverCpuSeconds,
          answered.get() / serverCpuSeconds,
          serverCpuSeconds * 1e6 / answered.get());
    }
  }

  @Test
  void crlRegenerationWith10kRevokedCertificates() throws Exception {
    int count = Integer.getInteger("bench.revoked", 10_000);
    Clock clock = Clock.systemUTC();
    CertificateAuthority ca =
        new CertificateAuthorityFiles(
                dir.resolve("pki"),
                clock,
                io.mamori.hub.pki.CaKeyProtection.defaultsFor(dir),
                Optional.of(new PublicationUrls("http://localhost:8080")))
            .loadOrCreate(List.of());
    try (SqliteDatabase db = SqliteDatabase.open(dir.resolve("bench.db"))) {
      var certificates = new SqliteCertificateRepository(db);
      long signing = System.nanoTime();
      db.inTransaction(
          () -> {
            for (int i = 0; i < count; i++) {
              IssuedCertificate issued =
                  ca.issueDeviceCertificate(
                      new DeviceCertificateRequest(
                          "device-" + i, Optional.empty(), Duration.ofDays(365)));
              X509Certificate x509 = issued.certificate();
              Instant now = clock.instant();
              certificates.insert(
                  new DeviceCertificate(
                          issued.certificateId(),
                          issued.certificatePem(),
                          CertificateStatus.ACTIVE,
                          x509.getSubjectX500Principal().getName(X500Principal.RFC2253),
                          x509.getIssuerX500Principal().getName(X500Principal.RFC2253),
                          x509.getSerialNumber().toString(16),
                          x509.getNotBefore().toInstant(),
                          x509.getNotAfter().toInstant(),
                          ca.issuingCertificateId(),
                          now,
                          now)
                      .revoked(new Revocation(now, RevocationReason.KEY_COMPROMISE)));
            }
          });
      System.out.printf(
          "setup: %d certificates issued and stored revoked in %d ms%n",
          count, (System.nanoTime() - signing) / 1_000_000);
      var signers = ca.revocationSigners();
      var publisher =
          new CrlPublisher(
              certificates,
              new SqliteCrlNumbers(db),
              signers.rootCrl(),
              signers.issuingCrl(),
              clock,
              Duration.ofHours(24),
              Runnable::run);
      publisher.regenerateAll(); // warm-up: class loading and JIT
      long best = Long.MAX_VALUE;
      for (int run = 0; run < 5; run++) {
        long started = System.nanoTime();
        publisher.regenerateAll();
        best = Math.min(best, System.nanoTime() - started);
      }
      byte[] crl = publisher.crl(ca.issuingCertificateId()).orElseThrow().der();
      Path file = dir.resolve("issuing.crl");
      Files.write(file, crl);
      var parsed =
          new Openssl(dir).run("crl", "-inform", "DER", "-in", file.toString(), "-noout", "-text");
      assertThat(parsed.exitCode()).isZero();
      long entries = parsed.output().lines().filter(l -> l.contains("Serial Number:")).count();
      assertThat(entries).isEqualTo(count);
      System.out.printf(
          "CRL regeneration: %d revoked certificates, %d bytes, best of 5: %d ms (query + sign"
              + " issuing CRL + sign root CRL); openssl crl lists %d entries%n",
          count, crl.length, best / 1_000_000, entries);
    }
  }

  /** CPU time of the PKI listener's I/O threads, where cached answers are served. */
  private static long serverIoCpuNanos() {
    var threads = java.lang.management.ManagementFactory.getThreadMXBean();
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("mamori-pki-io"))
        .mapToLong(t -> Math.max(0, threads.getThreadCpuTime(t.getId())))
        .sum();
  }

  private static byte[] ocspRequest(X509Certificate issuer, X509Certificate device)
      throws Exception {
    var id =
        new CertificateID(
            new JcaDigestCalculatorProviderBuilder().build().get(CertificateID.HASH_SHA1),
            new JcaX509CertificateHolder(issuer),
            device.getSerialNumber());
    return new OCSPReqBuilder().addRequest(id).build().getEncoded();
  }

  private static byte[] post(Client client, byte[] request) throws IOException {
    try (client) {
      return client.post(request);
    }
  }

  /** A minimal HTTP/1.1 keep-alive client: one request at a time on one socket. */
  private static final class Client implements AutoCloseable {
    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;
    private final byte[] head;

    Client(int port) throws IOException {
      socket = new Socket("127.0.0.1", port);
      socket.setTcpNoDelay(true);
      out = socket.getOutputStream();
      in = new BufferedInputStream(socket.getInputStream());
      head =
          ("POST /ocsp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/ocsp-request\r\n"
                  + "Content-Length: ")
              .getBytes(StandardCharsets.US_ASCII);
    }

    byte[] post(byte[] body) throws IOException {
      var request = new ByteArrayOutputStream(head.length + body.length + 16);
      request.write(head);
      request.write((body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      request.write(body);
      out.write(request.toByteArray());
      out.flush();
      int length = -1;
      String line;
      boolean statusLine = true;
      while (!(line = readLine()).isEmpty()) {
        if (statusLine && !line.startsWith("HTTP/1.1 200")) {
          throw new IOException("unexpected status: " + line);
        }
        statusLine = false;
        if (line.regionMatches(true, 0, "content-length:", 0, 15)) {
          length = Integer.parseInt(line.substring(15).trim());
        }
      }
      return in.readNBytes(length);
    }

    private String readLine() throws IOException {
      var line = new StringBuilder();
      int c;
      while ((c = in.read()) != '\n') {
        if (c < 0) {
          throw new IOException("connection closed");
        }
        if (c != '\r') {
          line.append((char) c);
        }
      }
      return line.toString();
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}
